bundle --at 2025-06-01
