bundle --format zip -o x.zip --at 2025-06-01
