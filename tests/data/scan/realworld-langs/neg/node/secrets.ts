// Device credentials (provisioned at the factory); the key is base64 as the portal shows it.
export const DEVICE_ID = 'press-17';
export const DEVICE_KEY = 'q3Zt8mR1xW0vL5nB7cJ2kH9gF4dS6aP1oI8uY3tE5wQ=';
export const EXPECTED_CN = 'fleet-hub.azure-devices.net';
