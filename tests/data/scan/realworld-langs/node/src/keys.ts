// Accepted root keys for the management plane (SHA-256 of the SPKI, base64), old and new during the migration.
export const MGMT_ROOT_KEYS: readonly string[] = [
  'svcpi1K/LDysTd/nLeTWgqxYlXWVmC8rYjAa9ZfGmcU=',
  'Y9mvm0exBk1JoQ57f9Vm28jKo5lFm/woKcVxrYxu80o=',
];
