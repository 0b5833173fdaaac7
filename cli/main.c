/* main.c: the rootshift command. A sorted table of commands; help is generated from it. */
#include "cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define LAB_USAGE                                                                                                    \
	"usage: rootshift lab init DIR [--seed TEXT] [--at TIME] [--hub NAME] [--name HOST]... [--exact-names]\n"    \
	"                              [--fast-keys]\n"                                                              \
	"       rootshift lab device add DIR NAME\n"                                                                  \
	"       rootshift lab serve DIR [--mqtt-port N] [--https-port N] [--amqp-port N] [--ws-port N]\n"             \
	"                               [--admin-port N] [--listen ADDR] [--chain old|new|next|ecc] [--at TIME]\n"        \
	"                               [--test-endpoint] [--no-client-cert-request] [--dps-delay SECONDS]\n"         \
	"                               [--max-connections N] [--handshake-timeout SECONDS]\n"                       \
	"                               [--auth-timeout SECONDS] [--events FILE]\n"                                  \
	"       rootshift lab migrate DIR [--to new|next|ecc] [--mix PERCENT] [--disconnect] [--format text|json]\n"      \
	"       rootshift lab revert DIR [--mix PERCENT] [--disconnect] [--format text|json]\n"                       \
	"       rootshift lab status DIR [--format text|json]\n"                                                      \
	"\n"                                                                                                          \
	"An offline IoT Hub and DPS whose roots switch at run time, for rehearsing a root migration.\n"               \
	"\n"                                                                                                          \
	"init creates a look-alike PKI in DIR: old (a Baltimore-like RSA-2048 sha1 root, an RSA-4096 sha256\n"       \
	"intermediate), new (a G2-like RSA-2048 sha256 root, an RSA-4096 sha384 intermediate, also cross-signed by a\n" \
	"Microsoft RSA Root 2017-like RSA-4096 root), next (two RSA-4096 intermediates under the G2-like root) and\n"  \
	"ECC (P-384), with leaves for *.azure-devices.net, *.azure-devices-provisioning.net, localhost, 127.0.0.1\n"  \
	"and ::1; and device bundles in DIR/bundles: old-only, new-only, recommended, pinned-intermediate, ecc.\n"     \
	"  --seed TEXT     derive every key and serial from TEXT (deterministic; default random)\n"                  \
	"  --at TIME       generation time: certificates are valid from about then (default now)\n"                  \
	"  --hub NAME      the hub is NAME.azure-devices.net (default rootshift-lab)\n"                              \
	"  --name HOST     also cover HOST (a DNS name or an IP address) in the leaves; repeatable\n"                \
	"  --exact-names   copy the real CA names instead of marking them \"(rootshift lab)\" (with a warning)\n"      \
	"  --fast-keys     RSA-2048 where the real chain has RSA-4096 (for tests; the shapes are otherwise kept)\n"   \
	"\n"                                                                                                          \
	"device add registers NAME (its key also enrolls it in the lab's DPS), writes its connection string\n"        \
	"(GatewayHostName=localhost) to DIR/devices/NAME.connstr (mode 0600) and prints it with the key masked.\n"    \
	"\n"                                                                                                          \
	"serve runs the hub and DPS on 127.0.0.1 until SIGTERM: MQTT over TLS (8883; hub and DPS), HTTPS (443; DPS\n" \
	"registration, hub events), AMQP (5671; the protocol header only), MQTT over WebSockets on\n"                 \
	"/$iothub/websocket (8443), and the admin API, /metrics and a web page on a loopback port. Port 0 picks a\n"  \
	"free port; the ports and the admin token go to DIR/serve.json (mode 0600). One JSON event a line on stdout.\n" \
	"  --chain C             the chain served at start (default old)\n"                                           \
	"  --at TIME             run the lab's clock from TIME (SAS expiry is judged against it)\n"                   \
	"  --test-endpoint       reject every credential after TLS, like the notice's test endpoints\n"               \
	"  --dps-delay SECONDS   DPS follows a hub switch after this delay (default 0)\n"                             \
	"  --auth-timeout SECONDS  close a connection not authenticated by then (default 10; 0: never)\n"          \
	"  --events FILE         append the events to FILE instead of stdout (written without blocking either way:\n" \
	"                        a reader that falls behind loses events, counted, and gets a dropped event)\n"   \
	"The admin API (loopback; changes need \"Authorization: Bearer TOKEN\" from serve.json): GET /api/status,\n"   \
	"POST /api/migrate?to=C&mix=P&disconnect=1, POST /api/revert, POST /api/c2d?device=ID (the body is sent\n"  \
	"to the device's C2D subscription), GET /metrics (Prometheus), GET / (the web page).\n"                    \
	"\n"                                                                                                          \
	"migrate and revert switch the chain for new handshakes (existing sessions stay unless --disconnect);\n"     \
	"--mix PERCENT serves that share of handshakes the other chain. status shows the chains and connections.\n"  \
	"\n"                                                                                                          \
	"Exit status: 0 on success, 2 when the lab cannot be created, read, started or reached.\n"

static const struct command commands[] = {
	{ "audit", cmd_audit, "find every trust anchor a device carries and judge it against a profile",
	  "usage: rootshift audit [--profile NAME|FILE] [--at TIME] [--format text|json] [--fail-on LEVEL] [--system]\n"
	  "                       PATH|-...\n"
	  "\n"
	  "Finds every trust anchor in files and directories, whatever the form; the content decides, never the name:\n"
	  "PEM bundles (also inside JSON), DER, PKCS#7, PKCS#12, directories (OpenSSL hashed ones too), C and C++\n"
	  "sources (PEM in string literals, DER or PEM in byte arrays), BearSSL trust-anchor headers, ESP-IDF\n"
	  "x509_crt_bundle files, NSS certdata.txt (with its trust bits) and any other file, such as firmware\n"
	  "images, ELF binaries or ar archives, by carving DER and PEM from its bytes; '-' reads standard input.\n"
	  "Duplicates are merged with every location kept. The anchors are then judged against the profile at TIME:\n"
	  "ready, partial or not-ready, with reasons and what to do.\n"
	  "\n"
	  "  --profile NAME|FILE    judge against this profile (default azure-iot)\n"
	  "  --at TIME              judge at this RFC 3339 time (default now)\n"
	  "  --format text|json     output format (default text; json has schema rootshift/audit/1)\n"
	  "  --system               also read this machine's trust store (see docs/audit.md for the files)\n"
	  "  --system-root DIR      read the trust store of a system unpacked under DIR (implies --system)\n"
	  "  --fail-on LEVEL        exit 1 on: error (not ready only), warning (partial too; the default), note (any\n"
	  "                         note too)\n"
	  "  --expiring-within D    note anchors, and the profile's intermediates, that expire within D (90d, 12h, 2w)\n"
	  "\n"
	  "Exit status: 0 ready, 1 partial or not ready, 2 when an input cannot be read.\n" },
	{ "bundle", cmd_bundle, "write the smallest correct trust bundle in the device's form, or prove one (--check)",
	  "usage: rootshift bundle --format FMT -o OUT [--profile NAME|FILE] [--from PATH]... [--system-root DIR]\n"
	  "                        [--at TIME] [--minimal] [--keep-old] [--name IDENT] [--esp-idf-legacy]\n"
	  "                        [--format json]\n"
	  "       rootshift bundle --check OUT [--profile NAME|FILE] [--at TIME] [--format text|json]\n"
	  "\n"
	  "Takes the profile's roots from a trusted source, selected by the SHA-256 the profile gives (never by name),\n"
	  "and writes them in the form the device needs; every output says what it holds (names, SHA-256, validity)\n"
	  "and which profile made it. A root that is missing from the source, expired or not yet valid at TIME, not\n"
	  "trusted there (NSS certdata trust bits) or present only as a name and key is an error, never left out.\n"
	  "\n"
	  "  --format FMT           pem             one PEM file\n"
	  "                         der-dir         a directory, one DER .crt file per root\n"
	  "                         pem-dir         a directory, one PEM .crt file per root (update-ca-certificates)\n"
	  "                         hashed-dir      an OpenSSL CApath directory: <subject hash>.0 as openssl rehash names\n"
	  "                         c-pem           OUT.c and OUT.h: one PEM string, \\r\\n line ends (Azure C SDK certs.c)\n"
	  "                         c-der           OUT.c and OUT.h: one DER array per root (mbedTLS parses one per call)\n"
	  "                         esp-idf         an ESP-IDF x509_crt_bundle, and OUT.txt saying what it holds\n"
	  "                         bearssl         a BearSSL trust-anchor header (brssl ta style)\n"
	  "  -o, --output OUT       the file, or for *-dir formats a new or empty directory; '-' writes a one-file form\n"
	  "                         (pem, bearssl) to standard output and the summary to standard error\n"
	  "  --from PATH            where the roots come from: anything audit reads (a PEM bundle such as certifi, NSS\n"
	  "                         certdata.txt with its trust bits, a directory); repeatable; default the system store\n"
	  "  --system-root DIR      without --from: the system store of a root file system unpacked under DIR\n"
	  "  --profile NAME|FILE    the migration profile (default azure-iot)\n"
	  "  --at TIME              choose for this RFC 3339 time (default now)\n"
	  "  --minimal              the smallest set of the profile's roots that validates, at TIME, every catalog\n"
	  "                         intermediate the endpoints may serve (the required roots always stay)\n"
	  "  --keep-old             also keep the profile's old root during a transition\n"
	  "  --name IDENT           the C identifier for c-pem (default certificates) and c-der (default trusted_roots)\n"
	  "  --esp-idf-legacy       the u16 big-endian esp-idf layout of older ESP-IDF releases (default: the current\n"
	  "                         offset-table layout)\n"
	  "  --check OUT            prove a bundle: read it back as audit does and verify every catalog intermediate\n"
	  "                         valid at TIME against it with the path builder\n"
	  "  --format json          report as JSON (schema rootshift/bundle/1, or rootshift/bundle-check/1 for --check);\n"
	  "                         given besides --format FMT; --json is an alias\n"
	  "\n"
	  "--check gives audit's verdict words: READY, PARTIAL or NOT READY. Inside the profile's migration window\n"
	  "(--at before its migration_complete) the old root is kept without --keep-old, with a note saying until when.\n"
	  "Exit status: 0 written (or READY); 1 the source cannot yield the bundle (or PARTIAL, NOT READY); 2 on error.\n" },
	{ "check", cmd_check, "is this machine ready? its trust store audited against the default profile",
	  "usage: rootshift check [--profile NAME|FILE] [--at TIME] [--format text|json] [--system-root DIR]\n"
	  "                       [--endpoints] [PATH...]\n"
	  "\n"
	  "Audits this machine's trust store (as 'audit --system') and says in plain words what the verdict means.\n"
	  "--endpoints also probes the profile's endpoints that have a concrete host name (TLS with this store, 5 s\n"
	  "each) and says plainly when the network cannot reach them.\n"
	  "\n"
	  "Exit status: 0 ready (and every reached endpoint verified), 1 partial, not ready or an endpoint failed,\n"
	  "2 when the store cannot be read.\n" },
	{ "completion", cmd_completion, "print a bash or zsh completion script, made from this help",
	  "usage: rootshift completion bash|zsh\n"
	  "\n"
	  "Prints a completion script for the shell: command names, and each command's options as its help lists them.\n"
	  "  bash:  rootshift completion bash > /etc/bash_completion.d/rootshift  (or source it from ~/.bashrc)\n"
	  "  zsh:   rootshift completion zsh > \"${fpath[1]}/_rootshift\"\n"
	  "The Debian package installs both.\n" },
	{ "help", cmd_help, "show help for rootshift or one command",
	  "usage: rootshift help [COMMAND]\n" },
	{ "inspect", cmd_inspect, "explain certificate files: names, dates, keys, thumbprints, catalog identity",
	  "usage: rootshift inspect [--format text|json] [--at TIME] [--profile NAME|FILE]\n"
	  "                         [--password-file FILE] [--known-only] FILE|DIR|-...\n"
	  "\n"
	  "Reads every certificate in PEM bundles, DER, PKCS#7 (PEM or DER), PKCS#12 and directories (recursively,\n"
	  "OpenSSL hashed names included), or standard input with '-'. The content decides the format.\n"
	  "\n"
	  "  --format text|json     output format (default text; json has schema rootshift/inspect/1)\n"
	  "  --at TIME              judge validity at this RFC 3339 time (default now)\n"
	  "  --profile NAME|FILE    identify certificates against this profile only (default: all built-in)\n"
	  "  --password-file FILE   PKCS#12 password (first line); else $ROOTSHIFT_PASSWORD, else empty\n"
	  "  --known-only           show only the certificates a loaded profile knows\n"
	  "  --expiring-within D    mark, and list at the end, certificates valid at TIME that expire within D (90d,\n"
	  "                         12h, 2w, 1y)\n"
	  "\n"
	  "Exit status: 0 on success, 2 when an input cannot be read or holds no certificate.\n" },
	{ "lab", cmd_lab, "run an offline IoT Hub and DPS whose roots switch at run time",
	  LAB_USAGE },
	{ "probe", cmd_probe, "check a live endpoint as the device sees it: its store, TLS, then MQTT, HTTPS or AMQP",
	  "usage: rootshift probe [HOST[:PORT]] [--protocol tls|mqtt|mqtt-ws|https|amqp] [--store PATH]... [--at TIME]\n"
	  "                       [--connection-string CS | --connection-string-file FILE]\n"
	  "                       [--dps --id-scope S --registration-id R [--symmetric-key-file F | --group-key-file F]]\n"
	  "                       [--connect-to HOST:PORT] [--proxy HOST:PORT] [--alpn P] [--tls-min V] [--tls-max V]\n"
	  "                       [--timeout SECONDS] [--profile NAME|FILE] [--format text|json|jsonl] [--verbose]\n"
	  "                       [--targets FILE [--concurrency N]] [--policy webpki|rfc5280] [--save-chain FILE]\n"
	  "\n"
	  "Connects with the device's own trust store (--store, in any form inspect reads; default the system store),\n"
	  "captures the served chain even when it fails, verifies it with rootshift's path builder, then speaks just\n"
	  "enough of the protocol to tell \"TLS failed\" from \"TLS fine, credentials rejected\" (the answer of a test\n"
	  "endpoint). What-if verdicts show the chain against the profile's old, new and recommended roots.\n"
	  "\n"
	  "  --protocol P           tls (handshake only), mqtt (default; port 8883), mqtt-ws (MQTT over WebSockets on\n"
	  "                         /$iothub/websocket, 443), https (443), amqp (5671)\n"
	  "  --connection-string CS IoT Hub: HostName, DeviceId, SharedAccessKey or SharedAccessSignature, ModuleId,\n"
	  "                         GatewayHostName; or from --connection-string-file or $ROOTSHIFT_CONNECTION_STRING\n"
	  "  --dps                  DPS registration (mqtt or https) at HOST (default global.azure-devices-provisioning.net);\n"
	  "                         the key from --symmetric-key-file, --group-key-file or $ROOTSHIFT_DPS_KEY\n"
	  "  --connect-to HOST:PORT connect there but keep the target's name (SNI, host check, credentials)\n"
	  "  --proxy HOST:PORT      through an HTTP CONNECT proxy\n"
	  "  --tls-min, --tls-max   1.0, 1.1, 1.2 or 1.3\n"
	  "  --timeout SECONDS      for each step and the whole probe (default 30)\n"
	  "  --targets FILE         many targets: one 'HOST[:PORT] [PROTOCOL]' a line, or JSONL {\"target\", \"protocol\"};\n"
	  "                         probed --concurrency at a time (default 16), one result each, then a summary\n"
	  "  --policy NAME          verification policy: webpki (default, strict) or rfc5280 (lenient stacks);\n"
	  "                         see docs/verify.md\n"
	  "  --verbose              the protocol exchange, secrets masked\n"
	  "  --save-chain FILE      write the served chain as PEM, leaf first, as served (even when untrusted); '-'\n"
	  "                         writes it to standard output and the result line to standard error\n"
	  "\n"
	  "Result codes: ok, ok-auth-rejected, protocol-error, dns-failed, tcp-refused, tcp-timeout, proxy-failed,\n"
	  "tls-alert, tls-protocol-error, cert-untrusted, cert-expired, cert-hostname-mismatch, cert-chain-too-large,\n"
	  "timeout, closed-by-peer (the server hung up after TLS; the stage says after what), internal-error.\n"
	  "Exit status: 0 when every target is ok or ok-auth-rejected, 1 otherwise, 2 when it cannot run.\n" },
	{ "profiles", cmd_profiles, "list migration profiles, or show one",
	  "usage: rootshift profiles [--format text|json] [NAME|FILE]\n"
	  "\n"
	  "Without an argument, lists the built-in profiles. With one, shows its certificates, rules and timeline;\n"
	  "a FILE is validated first and any error names the JSON path.\n" },
	{ "rehearse", cmd_rehearse, "put a simulated fleet through a root migration against the lab, on a virtual clock",
	  "usage: rootshift rehearse --demo [--at TIME] [--format text|json] [--report FILE.html] [--speed X]\n"
	  "       rootshift rehearse FLEET.json (--lab DIR | --target lab:DIR) [--at TIME] [--format text|json]\n"
	  "                          [--report FILE.html] [--max-inflight N] [--max-held N] [--speed X] [--stats]\n"
	  "       rootshift rehearse FLEET.json --target HOST[:PORT] [--at TIME] [--format text|json]\n"
	  "                          [--profile NAME|FILE] [--timeout SECONDS]\n"
	  "\n"
	  "Puts the fleet through the fleet file's schedule (migrate, revert, disconnect at virtual times) against a lab.\n"
	  "Every device is a real TLS client with its class's trust store: each attempt is a real handshake, the served\n"
	  "chain checked by rootshift's path builder at the device's own time (clock skew included), then a DPS\n"
	  "registration for classes that provision (MQTT or HTTPS: 202 assigning, poll, 200 assigned), then MQTT\n"
	  "CONNECT/CONNACK with a SAS token, the AMQP protocol header, or an HTTPS events POST. A session holds its\n"
	  "connection (MQTT pings at its keep-alive in virtual time; the lab drops it at 1.5 x the keep-alive), so a\n"
	  "forced disconnect really drops it and the device reconnects by its backoff. Between attempts virtual time\n"
	  "jumps, so hours pass in seconds. Reconnect cadence by SDK (docs/rehearse.md): C MQTT at 80% of the SAS\n"
	  "lifetime (48 min for 3600 s), Node 900 s before expiry (45 min), .NET at the lifetime plus 10 min, Java at\n"
	  "85%, Python 120 s before expiry, C AMQP never (the token is refreshed on the same connection), HTTPS a\n"
	  "handshake per request.\n"
	  "\n"
	  "For each class and each phase (from one scheduled event to the next): how many reconnected and when (p50,\n"
	  "p95, max from the event), how many still hold an older session, how many are stranded and why (probe codes:\n"
	  "cert-untrusted, cert-expired, ok-auth-rejected, ...; failures at the DPS step counted apart), and the\n"
	  "connected-devices curve.\n"
	  "\n"
	  "  --demo               a built-in fleet against a lab made in a temporary directory (offline; fixed seed;\n"
	  "                       --at defaults to 2026-01-02T00:00:00Z)\n"
	  "  --lab DIR            the lab (from 'rootshift lab init') to serve in this process, on the virtual clock;\n"
	  "                       its registry gets the fleet's devices. Not a lab another process is serving\n"
	  "  --target lab:DIR     the lab 'rootshift lab serve DIR' runs in another process: devices registered and the\n"
	  "                       switch pressed through its admin API; SAS tokens made for its clock (it keeps its own)\n"
	  "  --target HOST[:PORT] a real endpoint, whose migration rehearse does not control: no schedule runs; each\n"
	  "                       class is probed now (no device credentials; port by protocol unless given) and the\n"
	  "                       profile's new chain is verified against its store (what-if). Stores must be paths\n"
	  "  --at TIME            the true time at virtual second 0 (default now)\n"
	  "  --format text|json   output format (default text; json has schema rootshift/rehearse/1, or\n"
	  "                       rootshift/rehearse-endpoint/1 for a real endpoint)\n"
	  "  --report FILE.html   also write a self-contained HTML report with an SVG chart\n"
	  "  --max-inflight N     connection attempts at once (default 256)\n"
	  "  --max-held N         connections held at most (default: as many as open files allow, the soft limit raised\n"
	  "                       to the hard one); the other sessions are modelled, with the same result\n"
	  "  --stats              wall time, handshakes per second, connections held, pings and peak RSS on stderr\n"
	  "  --speed X            at most X virtual seconds per wall second (3600: an hour a second), to watch the\n"
	  "                       lab's page and metrics move; default as fast as the handshakes allow\n"
	  "  --profile NAME|FILE  the migration profile for a real endpoint's what-if (default azure-iot)\n"
	  "  --timeout SECONDS    per probe of a real endpoint (default 10)\n"
	  "\n"
	  "Exit status: 0 READY, 1 PARTIAL (all have a session at the end, some were stranded on the way) or NOT READY,\n"
	  "2 when it cannot run; --demo exits 0 when it ran as designed.\n" },
	{ "scan", cmd_scan, "find hard-coded trust and pinning in source, configuration and firmware",
	  "usage: rootshift scan [--profile NAME|FILE] [--format text|json|sarif] [--jobs N] [--baseline FILE]\n"
	  "                      [--ignore-file FILE] [--no-ignore] [--fail-on LEVEL] [--at TIME] PATH...\n"
	  "\n"
	  "Finds what breaks a device at a CA rotation, whatever roots it trusts: fingerprints written in code or\n"
	  "config (SHA-1 and SHA-256 as hex in any notation, 0x byte arrays, base64 sha256/ SPKI pins) judged by the\n"
	  "catalog and by the API they feed (setFingerprint, setKnownKey, X509_digest with memcmp, <pin>,\n"
	  "CURLOPT_PINNEDPUBLICKEY, ...), issuer and subject names compared as strings, intermediates and leaves\n"
	  "embedded as trust anchors, configuration naming a single root file, verification turned off, and pinning\n"
	  "APIs called with placeholders. Binaries go through the same rules (printable runs and carving). .git,\n"
	  "node_modules and build outputs are skipped. Rules are listed in docs/scan.md.\n"
	  "\n"
	  "  --profile NAME|FILE    identify values against this profile (default: every built-in profile)\n"
	  "  --format text|json|sarif  output format (default text; json has schema rootshift/scan/1; sarif is\n"
	  "                         SARIF 2.1.0)\n"
	  "  --jobs N               scan a tree with N threads (default: the online CPUs)\n"
	  "  --baseline FILE        report only findings that are not in FILE, an earlier --format json output\n"
	  "  --ignore-file FILE     suppressions: 'PATTERN [RULE...]' or 'value:HEX [RULE...]' a line\n"
	  "  --no-ignore            do not read .rootshiftignore at the top of a scanned directory\n"
	  "  --fail-on LEVEL        exit 1 on findings of this severity or worse: error (default), warning, note\n"
	  "  --at TIME              the time recorded in the output (RFC 3339; default now)\n"
	  "\n"
	  "Exit status: 0 when no finding at the --fail-on level is left, 1 when one is, 2 when an input cannot be read.\n" },
	{ "verify", cmd_verify, "build every path from a served chain to a trust store; what-if old, new and recommended roots",
	  "usage: rootshift verify --chain FILE [--untrusted FILE]... (--store PATH... | --profile-store old|new|recommended)\n"
	  "                        [--profile NAME|FILE] [--host NAME] [--at TIME] [--format text|json]\n"
	  "                        [--max-depth N] [--max-chain-bytes N] [--no-digest NAME]... [--no-key NAME]...\n"
	  "                        [--rsa-max-bits N] [--policy webpki|rfc5280] [--min-rsa-bits N] [--allow-key ALG]...\n"
	  "                        [--crl FILE]...\n"
	  "\n"
	  "Builds every path from the first certificate of the served chain (leaf first, as a server sends it; a CA\n"
	  "certificate may be the end of the chain) to a trust anchor, trying every candidate issuer, so cross-signed\n"
	  "twin intermediates are found in any order. Prints the verdict, every valid path (shortest first) with each\n"
	  "certificate named by the catalog, or why the best failed path failed, then what-if verdicts against the\n"
	  "profile's old, new and recommended roots and the given store. Codes and rules are listed in docs/verify.md.\n"
	  "A certificate that breaks RFC 5280 makes the chain not valid (code malformed); a malformed certificate in\n"
	  "the store is reported and skipped.\n"
	  "\n"
	  "  --chain FILE            the served chain, leaf first ('-' for standard input)\n"
	  "  --untrusted FILE        more intermediates the device or a cache holds (repeatable)\n"
	  "  --store PATH            trust anchors: PEM, DER, PKCS#7, PKCS#12 or a directory (repeatable)\n"
	  "  --profile-store STORE   use the profile's roots instead: old, new (rule required) or recommended\n"
	  "  --profile NAME|FILE     the migration profile (default azure-iot)\n"
	  "  --host NAME             check the end certificate against this host name or IP address (RFC 6125)\n"
	  "  --at TIME               verify at this RFC 3339 time (default now)\n"
	  "  --format text|json      output format (default text; json has schema rootshift/verify/1)\n"
	  "device constraints:\n"
	  "  --max-depth N           at most N intermediates between the end certificate and the anchor\n"
	  "  --max-chain-bytes N     the served chain (sum of DER sizes) must fit in N bytes\n"
	  "  --no-digest NAME        the device lacks this digest: md5, sha1, sha224, sha256, sha384, sha512\n"
	  "  --no-key NAME           the device cannot use this key type (RSA, EC, Ed25519) or curve (P-384)\n"
	  "  --rsa-max-bits N        the largest RSA key the device can use\n"
	  "policy:\n"
	  "  --policy NAME           webpki (default: as strict as rustls-webpki and pyca/cryptography) or rfc5280\n"
	  "                          (what a lenient device stack accepts: RFC 5280 without the Web PKI profile)\n"
	  "  --min-rsa-bits N        RSA keys need at least N bits, a multiple of 8 (webpki: 2048; 0 turns it off)\n"
	  "  --allow-key ALG         allow what the webpki key policy forbids: DSA, Ed25519, a curve (P-192),\n"
	  "                          any-curve or explicit-curve (repeatable)\n"
	  "  --crl FILE              CRLs (PEM or DER) of the path's issuers; revocation is checked (repeatable)\n"
	  "\n"
	  "Exit status: 0 when a valid path exists for the chosen store, 1 when none does, 2 on error.\n" },
	{ "version", cmd_version, "print the version", "usage: rootshift version\n" },
};

const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void print_overview(FILE *out)
{
	size_t i;

	fputs("usage: rootshift [--version] [--help] COMMAND [ARGS]\n\n"
	      "Will your devices still connect after a TLS root migration?\n\ncommands:\n", out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nEvery command takes --color=auto|always|never (auto: on a terminal, unless NO_COLOR is set), and\n"
	      "--no-progress (no progress line on a terminal's standard error for scan, audit, probe --targets, rehearse).\n"
	      "Every command that prints JSON takes --format json (--json is an alias); with it, a failure is a JSON\n"
	      "document {\"error\": {\"code\", \"message\"}} on standard output (exit 2).\n"
	      "See 'rootshift help COMMAND' for one command, and rootshift(1) for exit codes.\n", out);
}

int show_help(const char *name)
{
	const struct command *c = find_command(name);

	if (!c)
		return usage_error(NULL, "no command '%s'", name);
	fputs(c->usage, stdout);
	return EXIT_OK;
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		print_overview(stdout);
		return EXIT_OK;
	}
	return show_help(argv[1]);
}

/* ---- completion: generated from the usage texts above, so there is one place that lists the options ---- */

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The options a command's usage names ("--format", "--at", ...), each once, space-separated, into buf. */
static void usage_options(const struct command *c, char *buf, size_t size)
{
	const char *p = c->usage, *q;
	char seen[2048] = " ", opt[64];
	size_t used = 0, nseen = 1;

	buf[0] = '\0';
	while ((p = strstr(p, "--"))) {
		for (q = p + 2; (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '-'; q++)
			;
		snprintf(opt, sizeof(opt), " %.*s ", (int)(q - p), p);
		if (q - p > 2 && (size_t)(q - p) < sizeof(opt) - 2 && (p == c->usage || strchr(" [(|", p[-1])) &&
		    !strstr(seen, opt) && used + (size_t)(q - p) + 2 < size && nseen + strlen(opt) < sizeof(seen)) {
			nseen += (size_t)snprintf(seen + nseen, sizeof(seen) - nseen, "%s", opt + 1);
			used += (size_t)snprintf(buf + used, size - used, "%s%.*s", used ? " " : "", (int)(q - p), p);
		}
		p = q;
	}
}

/* One shell `case` arm a command: its options between open and close (bash: a string, zsh: an array). */
static void print_cases(const char *open, const char *close)
{
	char opts[2048];
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		usage_options(&commands[i], opts, sizeof(opts));
		printf("  %s) opts=%s%s%s ;;\n", commands[i].name, open, opts, close);
	}
}

static void completion_bash(void)
{
	size_t i;

	printf("# bash completion for rootshift, made by 'rootshift completion bash' from the commands' help\n"
	       "_rootshift() {\n"
	       "  local cur=${COMP_WORDS[COMP_CWORD]} opts=\n"
	       "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	       "    COMPREPLY=($(compgen -W \"");
	for (i = 0; i < NCOMMANDS; i++)
		printf("%s%s", i ? " " : "", commands[i].name);
	printf(" --help --version\" -- \"$cur\"))\n    return\n  fi\n  case ${COMP_WORDS[1]} in\n");
	print_cases("\"", "\"");
	printf("  esac\n"
	       "  case $cur in\n"
	       "  -*) COMPREPLY=($(compgen -W \"$opts --color --no-progress --help\" -- \"$cur\")) ;;\n"
	       "  *) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
	       "  esac\n"
	       "}\n"
	       "complete -o filenames -F _rootshift rootshift\n");
}

static void completion_zsh(void)
{
	size_t i;

	printf("#compdef rootshift\n# zsh completion for rootshift, made by 'rootshift completion zsh' from the commands' "
	       "help\n_rootshift() {\n  local -a cmds opts\n  cmds=(\n");
	for (i = 0; i < NCOMMANDS; i++) {
		const char *p;
		printf("    '%s:", commands[i].name);
		for (p = commands[i].summary; *p; p++) /* in single quotes; ':' separates _describe's fields */
			fputs(*p == '\'' ? "'\\''" : *p == ':' ? "\\:" : (char[]){ *p, 0 }, stdout);
		printf("'\n");
	}
	printf("  )\n  if (( CURRENT == 2 )); then\n    _describe command cmds\n    return\n  fi\n  case $words[2] in\n");
	print_cases("(", ")");
	printf("  esac\n"
	       "  if [[ $PREFIX == -* ]]; then\n"
	       "    compadd -- $opts --color --no-progress --help\n"
	       "  else\n"
	       "    _files\n"
	       "  fi\n"
	       "}\n"
	       "_rootshift \"$@\"\n");
}

int cmd_completion(int argc, char **argv)
{
	if (argc != 2)
		return usage_error("completion", "give the shell: bash or zsh");
	if (!strcmp(argv[1], "bash"))
		completion_bash();
	else if (!strcmp(argv[1], "zsh"))
		completion_zsh();
	else if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return show_help("completion");
	else
		return usage_error("completion", "no completion for '%s' (use bash or zsh)", argv[1]);
	return EXIT_OK;
}

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("rootshift %s\n", rs_version());
	return EXIT_OK;
}

/* The closest command name, for "did you mean". */
static const char *suggest(const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (n >= 2 && !strncmp(commands[i].name, name, n < 3 ? n : 3))
			return commands[i].name;
	return NULL;
}

/* --json is a documented alias of --format json on every command (issue #19): rewritten here, in one place. */
static void json_alias(int argc, char **argv)
{
	static char format_json[] = "--format=json";
	int i;

	for (i = 2; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json"))
			argv[i] = format_json;
}

int main(int argc, char **argv)
{
	const struct command *c;
	const char *hint;

	opterr = 0; /* commands report unknown options themselves, in one line */
	/* A peer that hangs up, or a reader of stdout that goes away, is an error to report (EPIPE), never a death
	 * by signal: the library, the lab and the fleet write to sockets through OpenSSL and libevent too. */
	signal(SIGPIPE, SIG_IGN);
	json_errors_from_args(argc, argv);
	json_alias(argc, argv);
	if (color_from_args(&argc, argv) < 0)
		return EXIT_ERROR;
	progress_from_args(&argc, argv);
	if (argc < 2) {
		print_overview(stderr);
		return EXIT_ERROR;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return finish_output(cmd_help(1, argv));
	if (!strcmp(argv[1], "--version"))
		return finish_output(cmd_version(1, argv));
	if (argv[1][0] == '-')
		return usage_error(NULL, "unknown option '%s'", argv[1]);
	if (!(c = find_command(argv[1]))) {
		hint = suggest(argv[1]);
		if (hint)
			return usage_error(NULL, "no command '%s' (did you mean '%s'?)", argv[1], hint);
		return usage_error(NULL, "no command '%s'", argv[1]);
	}
	return finish_output(c->fn(argc - 1, argv + 1));
}
