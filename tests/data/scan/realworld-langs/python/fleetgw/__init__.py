"""Fleet gateway: forwards Modbus readings to the cloud hub."""
__version__ = "2.3.1"
