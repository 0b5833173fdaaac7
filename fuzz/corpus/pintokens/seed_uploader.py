import requests, ssl

def upload(url, body):
    return requests.post(url, data=body, verify=False)

ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
