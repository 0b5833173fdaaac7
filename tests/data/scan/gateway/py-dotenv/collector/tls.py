import os
import ssl

from dotenv import load_dotenv

load_dotenv()


def hub_context() -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=os.environ["HUB_CA_FILE"])
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx
