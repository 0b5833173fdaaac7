audit --at 2024-06-01T00:00:00Z --format json data/audit/not_anchors.c
