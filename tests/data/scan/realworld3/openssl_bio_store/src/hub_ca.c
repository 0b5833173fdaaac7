/* Issuing CA of the hub, pinned as the only anchor (issue GW-311). */
const char hub_ca_pem[] =
    "-----BEGIN CERTIFICATE-----\n" \
    "MIIHmjCCBYKgAwIBAgITMwAAADv5gLDIN4NDFwAAAAAAOzANBgkqhkiG9w0BAQwF\n" \
    "ADBlMQswCQYDVQQGEwJVUzEeMBwGA1UEChMVTWljcm9zb2Z0IENvcnBvcmF0aW9u\n" \
    "MTYwNAYDVQQDEy1NaWNyb3NvZnQgUlNBIFJvb3QgQ2VydGlmaWNhdGUgQXV0aG9y\n" \
    "aXR5IDIwMTcwHhcNMjMwNTI1MjM0OTMwWhcNMjgwNTI1MjM0OTMwWjBdMQswCQYD\n" \
    "VQQGEwJVUzEeMBwGA1UEChMVTWljcm9zb2Z0IENvcnBvcmF0aW9uMS4wLAYDVQQD\n" \
    "EyVNaWNyb3NvZnQgQXp1cmUgUlNBIFRMUyBJc3N1aW5nIENBIDA3MIICIjANBgkq\n" \
    "hkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAtWReymLrOTjtxlqiaEeMc5ywzQo6HKIK\n" \
    "ngiFXYuHhAZhd8yGHrl1zaCQFBfpp/OjQbd8jDNOefSWQ5Ikg4vTKQNgcuMqkJUx\n" \
    "832zq77OyOC1rDmExApVRUIM16mtqbNoPOeRz0FtYWV1Yf8n5m7awjVWv/xuxTw6\n" \
    "knawEPjPMNN+uJMmQKXbP0T3KhjkY2TaJKzc2HBrm9u76hOgRj+l3kDuWAxaG4vQ\n" \
    "b70zjvmQPRxiFOxW3S4UZumD/hTvDUab7Xq36ma0bd205/Bk+S7Dk8yEICTLeP0V\n" \
    "ixeBCjXPewlzkgmRZ+5hTceEs078ttweOs/XUD31gX0xWsVOaSGtLlVr/oxYxu5d\n" \
    "aHbtFmagXY9MZ714ILueuAl5i8/Bd3a2jh+l0u2LPbE1TNzsNtDCch7bgN4QQ7/r\n" \
    "YEYaxrzUQzG0s0zumsTVry+Oh1lRAoR2JcVQQk30kJqW3AHWTkLVH7PROLAha6in\n" \
    "ET3YO68oWHxm496tEi4eeeefSE7bXcmBPsBOEYTg4CC0NzGmGaMoi9RP+I6gjqEW\n" \
    "hYReUfvr22KXpnKVse7p6bXzqT0UZ5zeFN6amQ4+Ml3sXMkudkXfAbYRWP3AYPFy\n" \
    "EeNgT3lUZTnJGfrbXbrylW75hn/qxQklKMtbckcEDV86nmUy61/kRKoBQzjFXtCO\n" \
    "PRa3NvwL8N8CAwEAAaOCAkkwggJFMA4GA1UdDwEB/wQEAwIBhjAQBgkrBgEEAYI3\n" \
    "FQEEAwIBADAdBgNVHQ4EFgQUzhUWO+oCo6Zr2tkr/eWMUr56UKgwcAYDVR0gBGkw\n" \
    "ZzAIBgZngQwBAgEwCAYGZ4EMAQICMFEGDCsGAQQBgjdMg30BATBBMD8GCCsGAQUF\n" \
    "BwIBFjNodHRwOi8vd3d3Lm1pY3Jvc29mdC5jb20vcGtpb3BzL0RvY3MvUmVwb3Np\n" \
    "dG9yeS5odG0wHQYDVR0lBBYwFAYIKwYBBQUHAwEGCCsGAQUFBwMCMBkGCSsGAQQB\n" \
    "gjcUAgQMHgoAUwB1AGIAQwBBMBIGA1UdEwEB/wQIMAYBAf8CAQAwHwYDVR0jBBgw\n" \
    "FoAUCctZf4aycI8awznjwNnpv7tNsiMwcAYDVR0fBGkwZzBloGOgYYZfaHR0cDov\n" \
    "L3d3dy5taWNyb3NvZnQuY29tL3BraW9wcy9jcmwvTWljcm9zb2Z0JTIwUlNBJTIw\n" \
    "Um9vdCUyMENlcnRpZmljYXRlJTIwQXV0aG9yaXR5JTIwMjAxNy5jcmwwga4GCCsG\n" \
    "AQUFBwEBBIGhMIGeMG0GCCsGAQUFBzAChmFodHRwOi8vd3d3Lm1pY3Jvc29mdC5j\n" \
    "b20vcGtpb3BzL2NlcnRzL01pY3Jvc29mdCUyMFJTQSUyMFJvb3QlMjBDZXJ0aWZp\n" \
    "Y2F0ZSUyMEF1dGhvcml0eSUyMDIwMTcuY3J0MC0GCCsGAQUFBzABhiFodHRwOi8v\n" \
    "b25lb2NzcC5taWNyb3NvZnQuY29tL29jc3AwDQYJKoZIhvcNAQEMBQADggIBAEW/\n" \
    "RtXCtcIo+mufeVjQIGgqX5/nHrS9aMMoI1WHA2pqqeW2NrbAcq7cwjLVDhbRu22I\n" \
    "ItJZliVUVCeufXgmkXErYr8IU0sEtS+nP5M+yvr359N30d/eJi1h63qI1n3buWO6\n" \
    "iJ1rN6s45v0NSrQf6SJNmQ40Aio53vVfsAYr2RA5mrDcT4zYSHLt9nrVtY3k/3F1\n" \
    "xYNRJX26xZSP7/hrjhI/gbBvJBCw9fto6WCrURno4UHsvU9GkG3sa9Rr5fCl1hqM\n" \
    "cAiVq+txoRX4cZQwo3dIDiALiP/78D9EayM3MwpuF5jKx6D5Vd4ZNArsNWoisAiB\n" \
    "Jk/awtgfyodut1Jh2RlXBClapoxtfVNCrhOQMAQlSqhSOdqG/s/ugWCalxQaX9H/\n" \
    "9lFUff5TH9vfe7v/kUlW2CaLTPzttRujCJs5G/2c/FVwWdy+LW1G7AsfvzrVIc5y\n" \
    "w4UACFAbFR3yTW8A5YMrsccQVYiK/x1EfrdjIHnhnri6L2eELAcn7rQCEn1Hr8HF\n" \
    "Z6wg7yKcLvxMtI2K0oU8vh5AGuhYXRJN/JHcFsGIOHVwbG0wX7Zs0rst6+s+cx4P\n" \
    "SVHNX+lk8Ih1gyjac3xOnA9aseyTdR5uVs8FvJVcitkgcM0x9T+ji5yKRC3MAg2A\n" \
    "WOiWb+WmldUq4yRSdubxtrRD7fkKtZqB7xv5FCYv\n" \
    "-----END CERTIFICATE-----\n"
    ;
