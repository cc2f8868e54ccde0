#!/usr/bin/env bash
# Remakes the binary seeds under corpus/ (certificates, chains, PKCS#7, PFX) with openssl; the text
# seeds (JSON, names, addresses) are written by hand. Run from anywhere; it replaces what it makes.
set -euo pipefail
corpus="$(cd "$(dirname "$0")" && pwd)/corpus"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
o() { openssl "$@" 2>/dev/null; }
o req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 3650 -subj "/CN=Fuzz Root CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
o req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj "/CN=pool01.contoso.com/O=Contoso"
printf 'subjectAltName=DNS:pool01.contoso.com,DNS:sip.contoso.com,DNS:xn--bcher-kva.contoso.com\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >ext
o x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 -extfile ext -out leaf.pem

mkdir -p "$corpus/ca_response" "$corpus/pfx"
cp leaf.pem "$corpus/ca_response/leaf.pem"
cat leaf.pem ca.pem >"$corpus/ca_response/chain.pem"
o x509 -in leaf.pem -outform DER -out "$corpus/ca_response/leaf.der"
o crl2pkcs7 -nocrl -certfile leaf.pem -certfile ca.pem -out "$corpus/ca_response/chain.p7b"
o crl2pkcs7 -nocrl -certfile leaf.pem -outform DER -out "$corpus/ca_response/leaf-der.p7b"
# The fuzz target opens every PFX with this password.
o pkcs12 -export -in leaf.pem -inkey leaf.key -certfile ca.pem -passout pass:S3cret -out "$corpus/pfx/aes.pfx"
o pkcs12 -export -in leaf.pem -inkey leaf.key -passout pass:S3cret -legacy -out "$corpus/pfx/legacy.pfx" ||
    o pkcs12 -export -in leaf.pem -inkey leaf.key -passout pass:S3cret -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -out "$corpus/pfx/legacy.pfx"
o pkcs12 -export -nokeys -in ca.pem -passout pass:S3cret -out "$corpus/pfx/no-key.pfx"
chmod 644 "$corpus"/pfx/*

# scep: the first byte picks the message (see scep.cpp); issued certificates are for scep-request-key.pem.
s="$corpus/scep"
mkdir -p "$s"
key="$(dirname "$corpus")/scep-request-key.pem"
o req -new -key "$key" -subj "/CN=pool01.contoso.com" -out scep.csr
o x509 -req -in scep.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 -extfile ext -out scep.pem
o req -newkey rsa:2048 -nodes -keyout ra.key -out ra.csr -subj "/CN=NDES RA"
printf 'keyUsage=critical,digitalSignature,keyEncipherment\n' >ra.ext
o x509 -req -in ra.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 -extfile ra.ext -out ra.pem
printf '\000POSTPKIOperation\nSHA-256\nAES\nRenewal\nSCEPStandard\n' >"$s/caps"
{ printf '\001'; cat ca.pem; } >"$s/ca-cert"
{ printf '\001'; o crl2pkcs7 -nocrl -certfile ra.pem -certfile ca.pem -outform DER; } >"$s/ca-ra-certs"
{ printf '\003\000'; cat scep.pem ca.pem; } >"$s/success-pem"
{ printf '\003\000'; o crl2pkcs7 -nocrl -certfile scep.pem -outform DER; } >"$s/success-p7"
printf '\003\0012' >"$s/failure-bad-request"
printf '\003\002' >"$s/pending"
printf '\003\0039' >"$s/unknown-status"
{ printf '\003\004'; o crl2pkcs7 -nocrl -certfile scep.pem -outform DER; } >"$s/success-not-enveloped"
