// Runtime settings for the edge agent. Pins are SHA-256 of the server key's SPKI, base64.
export const HUB_HOST = process.env.HUB_HOST ?? 'fleet-hub.azure-devices.net';
export const HUB_PORT = 8883;

export const HUB_KEY_PIN = 'i7WTqTvh0OioIruIfFR4kMPnBqrS2rdiVPl/s2uC/CY=';
export const LEGACY_KEY_PIN = 'Y9mvm0exBk1JoQ57f9Vm28jKo5lFm/woKcVxrYxu80o=';

export const RECONNECT_MS = 5_000;
