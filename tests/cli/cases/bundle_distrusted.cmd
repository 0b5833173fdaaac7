bundle --from data/bundle/nss-ms2017-must-verify.txt --at 2025-06-01 --format pem -o /nonexistent/roots.pem
