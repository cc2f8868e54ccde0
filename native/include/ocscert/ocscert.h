/*
 * ocscert: certificates for Office Communications Server pools.
 *
 * The stable C interface of the native library ("hourglass": C++ inside, C at
 * the waist). Conventions, the same for every function:
 *
 *  - Strings are UTF-8 and NUL-terminated. Inputs are borrowed for the call
 *    only; the library copies what it keeps.
 *  - Operations take and return JSON documents (objects with camelCase keys),
 *    so bindings stay thin and new fields never change the ABI.
 *  - Out-parameters come first. A function returns OCSCERT_OK (0) or a negative
 *    ocscert_status; on failure *error receives an error object (when error is
 *    not NULL) with a stable reason token, the offending input field and a
 *    one-line message. Bindings turn these into exceptions.
 *  - What the library hands out is freed with its own free functions:
 *    ocscert_string_free, ocscert_error_free, ocscert_context_free. All of them
 *    accept NULL.
 *  - No exception or signal crosses this boundary.
 *  - Threads: any function may be called from any thread, and operations on one
 *    context may run on several threads at once (the store lets one writer in at
 *    a time and makes the others wait; see OCSCERT_E_BUSY). The progress callback
 *    and the cancellation flag, however, belong to the context, not to one
 *    operation: every operation running on the context reports to the same
 *    callback and stops at the same ocscert_context_cancel. Set the callback
 *    before starting operations, and give each caller that needs its own
 *    progress or its own cancellation a context of its own (contexts are cheap;
 *    the PowerShell module makes one per call).
 */
#ifndef OCSCERT_OCSCERT_H
#define OCSCERT_OCSCERT_H

#include "ocscert/ocscert_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. Negative values are failures; the set only grows. */
typedef enum ocscert_status {
    OCSCERT_OK = 0,
    OCSCERT_E_INVALID_ARGUMENT = -1, /* an input field is wrong: see the error's field */
    OCSCERT_E_NOT_FOUND = -2,        /* a request, certificate or binding does not exist */
    OCSCERT_E_ALREADY_EXISTS = -3,   /* would overwrite something without being told to */
    OCSCERT_E_CANCELLED = -4,        /* ocscert_context_cancel was called; nothing was written */
    OCSCERT_E_IO = -5,               /* the store or a file could not be read or written */
    OCSCERT_E_CRYPTO = -6,           /* OpenSSL failed; the message carries its reason */
    OCSCERT_E_UNSUPPORTED = -7,      /* valid, but not possible on this platform or build */
    OCSCERT_E_BUSY = -8,             /* the store is locked by another writer past the timeout */
    OCSCERT_E_NETWORK = -9,          /* a CA could not be reached or answered badly */
    OCSCERT_E_INTERNAL = -99         /* a bug: please report it with the message */
} ocscert_status;

/* Library version, e.g. "0.1.0". The returned string is static. */
OCSCERT_API const char *ocscert_version(void);

/* ---- Errors ---------------------------------------------------------------- */

typedef struct ocscert_error ocscert_error;

OCSCERT_API int ocscert_error_code(const ocscert_error *error);
/* A stable PascalCase token naming the failure, e.g. "WildcardNotAllowed". */
OCSCERT_API const char *ocscert_error_reason(const ocscert_error *error);
/* The input field at fault (e.g. "poolFqdn", "sipDomain[1]"), or "" if none. */
OCSCERT_API const char *ocscert_error_field(const ocscert_error *error);
/* One line saying what is wrong and what would be accepted. Never holds secrets. */
OCSCERT_API const char *ocscert_error_message(const ocscert_error *error);
OCSCERT_API void ocscert_error_free(ocscert_error *error);

/* Frees a JSON document returned by an operation. */
OCSCERT_API void ocscert_string_free(char *text);

/* ---- Context ---------------------------------------------------------------- */

/* Carries the store location, the progress callback and the cancellation flag. */
typedef struct ocscert_context ocscert_context;

/*
 * options_json (may be NULL or "{}"):
 *   { "storePath": "<folder>" }   default: $OCSCERT_STORE, else the per-OS default
 */
OCSCERT_API int ocscert_context_new(ocscert_context **out, const char *options_json,
                                    ocscert_error **error);
OCSCERT_API void ocscert_context_free(ocscert_context *context);

/*
 * Progress of the long steps: key generation (ocscert_request_new), the
 * exchanges with a CA (ocscert_request_submit, ocscert_request_receive) and the
 * mutual-TLS probe (ocscert_certificate_test with "peer"), as JSON:
 *   { "activity": "Generating the private key", "status": "RSA 2048 bits", "percent": 0..100, or -1 if unknown }
 * The callback runs synchronously on the thread that runs the operation; the
 * string is valid for the call only. It is one callback per context, shared by
 * every operation running on it: set it (or NULL to stop) while no operation
 * runs on the context; see "Threads" above.
 */
typedef void (*ocscert_progress_fn)(void *user_data, const char *progress_json);
OCSCERT_API void ocscert_context_set_progress(ocscert_context *context,
                                              ocscert_progress_fn callback, void *user_data);

/* Asks running and future operations on this context to stop at the next safe
 * point; they fail with OCSCERT_E_CANCELLED and leave nothing half-written. */
OCSCERT_API void ocscert_context_cancel(ocscert_context *context);
/* Clears the cancellation flag so the context can be used again. */
OCSCERT_API void ocscert_context_reset_cancel(ocscert_context *context);

/* ---- Operations ---------------------------------------------------------------
 * Every operation has one shape:
 *
 *   int ocscert_<name>(char **out_json, ocscert_context *context,
 *                      const char *input_json, ocscert_error **error);
 *
 * input_json is a JSON object (NULL means {}); out_json receives a JSON object
 * to free with ocscert_string_free, or NULL on failure. Input keys are the
 * PowerShell cmdlets' parameter names in camelCase. A key set to null counts as
 * absent; a list field also takes a single string; booleans are true/false and
 * numbers whole. Times are UTC, ISO 8601 ("2026-12-01T02:00:00Z").
 *
 * Every operation can fail with:
 *   InvalidJson, UnknownField, InvalidType  OCSCERT_E_INVALID_ARGUMENT (error field: the key)
 *   NullArgument                            OCSCERT_E_INVALID_ARGUMENT: out_json or context is NULL
 *   StoreNotAFolder                         OCSCERT_E_INVALID_ARGUMENT (error field: storePath): the
 *                                           context's store path is a file, or lies below one
 *   Cancelled                               OCSCERT_E_CANCELLED; nothing was written
 *   StoreBusy                               OCSCERT_E_BUSY: another writer held the store's lock too long
 *   StoreIoError                            OCSCERT_E_IO
 *   InternalError, OutOfMemory              OCSCERT_E_INTERNAL
 * The reasons listed below each operation are its own, in addition to these.
 *
 * Shared input: the POOL SETTINGS, which decide the names a certificate needs
 * (ocscert_names_resolve says which and why):
 *   role                string list, required  FrontEnd, WebConferencing, AudioVideo
 *                                              (WebComponents is refused: the IIS wizard does it)
 *   topology            string, "Consolidated" Consolidated or Expanded
 *   poolFqdn            string, required       the pool's FQDN: the subject CN and first name (<= 64 chars)
 *   sipDomain           string list, []        SIP domains: sip.<domain> is added for FrontEnd with
 *                                              automaticSignIn or signInRedirect
 *   automaticSignIn     bool, false            clients find the pool by automatic configuration
 *   signInRedirect      bool, false            this pool authenticates and redirects sign-in
 *   includeMachineName  bool, by role          add machineFqdn; default true for WebConferencing
 *                                              or AudioVideo in the Expanded topology, else false
 *   machineFqdn         string, this computer  the server's own FQDN, when it is included
 *   domainName          string list, []        more names to include
 * DNS names are checked and normalised (lower case, no trailing dot, IDNA A-labels).
 * Their reasons: RequiredField, InvalidRole, WebComponentsNotSupported, InvalidTopology,
 * InvalidDnsName, WildcardNotAllowed, NotFullyQualified, FieldTooLong,
 * MachineFqdnUnknown, SanExtensionTooLarge (all OCSCERT_E_INVALID_ARGUMENT).
 *
 * Shared output: an INSTALLED CERTIFICATE (ocscert_certificate_list and others):
 *   thumbprint, sha256Thumbprint  upper-case hex of the DER certificate
 *   subject, issuer, serialNumber, notBefore, notAfter
 *   dnsNames, enhancedKeyUsage    string lists ("ServerAuthentication", "ClientAuthentication")
 *   keyAlgorithm, keySize         "RSA" | "ECDSA" | "Other", bits
 *   publicKeySha256, hasPrivateKey, chainLength, installed (time), friendlyName, privateKeyExportable
 *   requestId, profile, ca        when it completed a request of this store (profile: the request's inputs)
 *   caConnection                  how that CA was reached (no secrets): what a renewal reuses
 *   renewalOf                     the thumbprint it renewed, when a renewal made it
 *   renewAfter                    when it is due for renewal (ocscert_certificate_list)
 *   imported                      true when it came from a PFX
 *   storePath                     the store it is in
 *
 * Shared output: a REQUEST RECORD (ocscert_request_new, ocscert_request_list):
 *   id, state           "Pending" (not sent, or the last attempt failed), "Submitted" (waiting at
 *                       a CA), "Denied" (the CA refused it)
 *   created, friendlyName, subject, commonName
 *   names               [ { "name", "source": PoolFqdn|SipDomain|MachineFqdn|DomainName, "reason" } ]
 *   keyAlgorithm, keySize, privateKeyExportable, publicKeySha256, requestPem
 *   profile             the inputs it was made from (the pool settings among them)
 *   outFile, encoding   when the request was written to a file
 *   renewalOf           the thumbprint it renews, when a renewal made it
 *   ca, caConnection, caRequestId, submitted, lastAttempt, nextPoll
 *                       once sent to a CA (caConnection: how to reach it again; no secrets)
 *   lastError           { "reason", "message" }: why the last attempt failed or the CA refused
 *   storePath           the store it is in
 * The private key never leaves the store through a request.
 */

/*
 * The subject and Subject Alternative Names the pool settings yield, each with
 * the reason it is there. Writes nothing.
 *
 * In:  the POOL SETTINGS.
 * Out: commonName           the subject CN (the pool FQDN)
 *      names                [ { "name", "source", "reason" } ], the CN first
 *      machineNameIncluded  bool
 *      sanExtensionBytes    the encoded size of the SAN extension
 *      warnings             string list: what is allowed but probably not meant, e.g. a
 *                           SIP domain that begins with "sip." (sip.sip.contoso.com)
 * Errors: those of the POOL SETTINGS.
 */
OCSCERT_API int ocscert_names_resolve(char **out_json, ocscert_context *context,
                                      const char *profile_json, ocscert_error **error);

/*
 * The country codes a request's "country" takes: every ISO 3166-1 alpha-2 code, with
 * an English name (ASCII upper case), for completion and help. Writes nothing.
 *
 * In:  {} (no fields)
 * Out: countries   [ { "code", "name" } ], in code order
 */
OCSCERT_API int ocscert_country_list(char **out_json, ocscert_context *context,
                                     const char *input_json, ocscert_error **error);

/*
 * Generates a key and a PKCS#10 request for the pool settings, keeps both (and
 * the inputs) in the store as a pending request, and optionally writes the
 * request to a file. Nothing is kept if it fails or is cancelled. Progress: key
 * generation.
 *
 * In:  the POOL SETTINGS, and
 *   friendlyName              string, ""        a label for the request and its certificate (<= 128 chars)
 *   keyAlgorithm              string, "RSA"     RSA, ECDSA_P256 or ECDSA_P384
 *   keySize                   int, 2048         RSA: 2048, 3072 or 4096 (1024 with allowWeakKey);
 *                                               ECDSA: fixed by the curve, may be omitted
 *   allowWeakKey              bool, false       allow 1024-bit RSA (the output then warns)
 *   organization              string, required  subject O (<= 64 chars)
 *   organizationalUnit        string, absent    subject OU (<= 64 chars)
 *   country                   string, required  subject C: an ISO 3166 two-letter code
 *   state                     string, required  subject ST, the full name, not an abbreviation (<= 128)
 *   city                      string, required  subject L (<= 128 chars)
 *   serverAuthenticationOnly  bool, false       EKU server authentication only (default: server
 *                                               and client authentication, which pools need)
 *   template                  string, absent    Microsoft certificate template name (extension
 *                                               1.3.6.1.4.1.311.20.2), e.g. WebServer (<= 64 chars)
 *   privateKeyExportable      bool, false       the key may later leave the store in a PFX
 *   outFile                   string, none      absolute path to write the request to
 *   encoding                  string, "PEM"     PEM (Base64) or DER, for outFile
 *   force                     bool, false       overwrite an existing outFile
 *   validateOnly              bool, false       check every input (outFile included) and return the
 *                                               names; generate, keep and write nothing (-WhatIf)
 *   ca                        string, absent    only with validateOnly: a CA address whose form is
 *                                               checked as ocscert_request_submit reads it (nothing is
 *                                               contacted); without validateOnly it is an UnknownField
 * Subject texts are one line of UTF-8 without control characters or surrounding spaces.
 * Out: the new REQUEST RECORD (state "Pending") and
 *   warnings    string list, e.g. about a weak key, a SIP domain that begins with "sip.",
 *               or serverAuthenticationOnly (such a certificate cannot be assigned to a role)
 *   With validateOnly, only { "commonName", "names" }.
 * Errors: those of the POOL SETTINGS; RequiredField, InvalidText, FieldTooLong,
 *   InvalidCountry, AbbreviatedState, InvalidKeyAlgorithm, InvalidKeySize,
 *   WeakKeyNotAllowed, InvalidTemplate, InvalidEncoding, InvalidPath (outFile),
 *   InvalidCaAddress (OCSCERT_E_INVALID_ARGUMENT); OutFileExists
 *   (OCSCERT_E_ALREADY_EXISTS); EnterpriseCaUnavailable (OCSCERT_E_UNSUPPORTED);
 *   CryptoFailure (OCSCERT_E_CRYPTO).
 */
OCSCERT_API int ocscert_request_new(char **out_json, ocscert_context *context,
                                    const char *profile_json, ocscert_error **error);

/*
 * Lists the requests in the store that have no certificate yet.
 *
 * In:  id          string, absent   only this request
 * Out: requests    [ REQUEST RECORD ], oldest first
 *      warnings    strings: the store folder does not exist (the list is empty), or a request
 *                  whose record cannot be read was left out (the store is left as it is)
 * Errors: RequestNotFound (OCSCERT_E_NOT_FOUND) for an id that is not there;
 *   RequestUnreadable (OCSCERT_E_IO) for one whose record cannot be read.
 */
OCSCERT_API int ocscert_request_list(char **out_json, ocscert_context *context,
                                     const char *filter_json, ocscert_error **error);

/*
 * Removes a request and its key from the store.
 *
 * In:  id          string, required
 * Out: removed     the id
 * Errors: RequiredField (OCSCERT_E_INVALID_ARGUMENT); RequestNotFound (OCSCERT_E_NOT_FOUND).
 */
OCSCERT_API int ocscert_request_remove(char **out_json, ocscert_context *context,
                                       const char *selector_json, ocscert_error **error);

/*
 * Installs an offline CA's answer to a pending request. The certificate is
 * matched to a pending request by public key, must carry every name the request
 * asked for (and at most 1000 alternative names), must be valid now (a start up
 * to 5 minutes ahead is tolerated as clock skew), and must be signed by the
 * issuers sent with it; it is then installed with the request's key and only the
 * path from it to its root (other certificates in the answer are left out), and
 * the request is completed (removed). Nothing changes on failure. Answers from
 * online CAs are held to the same rules.
 *
 * In:  path        string, required   a file (<= 256 KiB, <= 32 certificates) holding a PEM
 *                                     or DER certificate, a PEM chain or a PKCS#7 bundle
 * Out: the INSTALLED CERTIFICATE.
 * Errors: RequiredField, InvalidPath, InvalidResponse, NoCertificate, ResponseTooLarge,
 *   TooManyCertificates, TooManyNames, CertificateExpired, CertificateNotYetValid,
 *   NamesDiffer, ChainBroken (OCSCERT_E_INVALID_ARGUMENT, field "path");
 *   NoMatchingRequest (OCSCERT_E_NOT_FOUND); AlreadyInstalled (OCSCERT_E_ALREADY_EXISTS).
 */
OCSCERT_API int ocscert_request_complete(char **out_json, ocscert_context *context,
                                         const char *response_json, ocscert_error **error);

/*
 * Sends a pending request to an online CA and installs what it issues (checked
 * as ocscert_request_complete checks it). A CA that issues later leaves the
 * request "Submitted" with the time to ask again (ocscert_request_receive).
 * Progress: each step of the exchange.
 *
 * In:
 *   id              string, required         the pending request
 *   ca              string, required         "acme:<https:// directory URL>" or "scep:<http(s):// URL>"
 *   credential      object, none             { "userName", "password" }: for ACME the external
 *                                            account binding (key id, HMAC key), for SCEP the
 *                                            challenge password (userName unused)
 *   caBundle        string, none             PEM file of roots to trust for the CA's HTTPS
 *                                            (default: the system's)
 *   caFingerprint   string, none             SCEP: SHA-256 (64 hex) or SHA-1 (40 hex, as NDES shows
 *                                            it) of the CA certificate or one above it; a CA that
 *                                            does not match is sent nothing
 *   httpListener    string, "0.0.0.0:80"     ACME http-01: answer the challenge on this address
 *                                            (the default when no webRoot or dnsHook is given)
 *   webRoot         string, none             ACME http-01: write the answer under
 *                                            <webRoot>/.well-known/acme-challenge/ for a web server
 *   dnsHook         string, none             ACME dns-01: program run as `hook add|remove
 *                                            _acme-challenge.<name> <value>` (exit 0 = done)
 *   contact         string, none             ACME account contact (e.g. mailto:pki@contoso.com)
 *   timeoutSeconds  int, 30                  per HTTP request, 1..600
 *   waitSeconds     int, 120                 how long to wait for issuance before answering
 *                                            "Pending", 0..3600
 *   assign          bool, false              assign the issued certificate to the request's roles
 *                                            (ocscert_binding_set, with the two fields below)
 *   trustAnchorPath string list, []          for assign: PEM files or folders of trusted roots
 *   systemTrust     bool, true               for assign: trust the system's roots too
 * The connection fields (ca to waitSeconds) are kept with the request, never the credential.
 * Out:
 *   id              the request
 *   caRetries       how many HTTP requests were repeated on the CA's say-so (badNonce, Retry-After)
 *   outcome         "Issued", "Pending" or "Denied"
 *   certificate     Issued: the INSTALLED CERTIFICATE (the request is completed)
 *   assignment      Issued with assign: what ocscert_binding_set returned
 *   assignError     Issued with assign, when a check failed: { "reason", "field", "message", "code" };
 *                   the certificate stays installed, unassigned
 *   request         Pending or Denied: the REQUEST RECORD (Denied: lastError.reason is the CA's,
 *                   e.g. BadCsr, RejectedIdentifier, CaaForbids, OrderInvalid, or SCEP's
 *                   BadRequest, BadMessageCheck, BadTime, BadAlgorithm, BadCertId, Refused)
 * Errors: a failed exchange is recorded on the request (state "Pending",
 *   lastError) and returned:
 *   RequiredField, InvalidCaAddress, InvalidPath (caBundle), OutOfRange,
 *   InvalidListener, InvalidFingerprint, InvalidEabKey, ChallengeMethod,
 *   ExternalAccountRequired, ExternalAccountRejected, DnsHookFailed,
 *   ProgramNotStarted, NamesDiffer, ChainBroken, WrongKey, InvalidResponse
 *   (OCSCERT_E_INVALID_ARGUMENT); RequestNotFound, AccountNotFound
 *   (OCSCERT_E_NOT_FOUND); AlreadySubmitted (OCSCERT_E_ALREADY_EXISTS: waiting at
 *   that CA already); EnterpriseCaUnavailable, NoSuitableChallenge
 *   (OCSCERT_E_UNSUPPORTED); CaFingerprintMismatch (OCSCERT_E_CRYPTO);
 *   WebRootNotWritable (OCSCERT_E_IO); CaUnreachable, CaTimeout, CaTlsFailure,
 *   CaTransportFailure, CaError, CaRateLimited, AccountNotValid,
 *   InvalidAcmeResponse, InvalidScepResponse, ResponseTooLarge, ChallengeFailed,
 *   ValidationTimeout, ListenerUnavailable, ProgramTimeout (OCSCERT_E_NETWORK).
 */
OCSCERT_API int ocscert_request_submit(char **out_json, ocscert_context *context,
                                       const char *input_json, ocscert_error **error);

/*
 * Asks the CAs about submitted requests and installs what they issued. Without
 * an id, every "Submitted" request whose nextPoll has come is asked, and one
 * request's failure never stops the others; with an id, that request is asked
 * now and its failure is the call's. Progress: each exchange.
 *
 * In:
 *   id              string, absent   only this request (which must be "Submitted")
 *   credential      object, none     as for ocscert_request_submit (not kept with the request)
 *   waitSeconds     int, kept        overrides the wait kept with each request, 0..3600
 *   assign, trustAnchorPath, systemTrust   as for ocscert_request_submit
 * Out:
 *   results   [ one per submitted request:
 *               what ocscert_request_submit returns (outcome Issued, Pending or Denied),
 *               or { "id", "outcome": "NotDue", "nextPoll" },
 *               or { "id", "outcome": "Failed", "reason", "message", "code" } ]
 * Errors: with an id, NotSubmitted (OCSCERT_E_INVALID_ARGUMENT), RequestNotFound
 *   (OCSCERT_E_NOT_FOUND) and those of ocscert_request_submit; without one,
 *   only those every operation can give.
 */
OCSCERT_API int ocscert_request_receive(char **out_json, ocscert_context *context,
                                        const char *input_json, ocscert_error **error);

/*
 * Lists the installed certificates, the one expiring first first.
 *
 * In:  thumbprint     string, absent   only this one (SHA-1, any case)
 * Out: certificates   [ INSTALLED CERTIFICATE with "roles": the roles that use it ]
 *      warnings       strings: the store folder does not exist (the list is empty), or a
 *                     certificate whose record cannot be read was left out (the store is left as it is)
 * Errors: CertificateNotFound (OCSCERT_E_NOT_FOUND) for a thumbprint that is not installed;
 *   CertificateUnreadable (OCSCERT_E_IO) for one whose record cannot be read.
 */
OCSCERT_API int ocscert_certificate_list(char **out_json, ocscert_context *context,
                                         const char *filter_json, ocscert_error **error);

/*
 * Assigns an installed certificate to roles of this server, after the checks
 * (in this order): PrivateKey (present, readable, matching), Validity,
 * ServerAuthentication, ClientAuthentication, Names (the names the roles need),
 * KeySize (RSA >= 2048, ECDSA >= 256), Chain (to a trusted root). All roles
 * switch in one step to a new generation of the store's live folder
 * (<livePath>/<role>/cert.pem, chain.pem, fullchain.pem, key.pem); the previous
 * certificate is kept for rolling back. Nothing changes on failure.
 *
 * In:
 *   role             string list, required   the roles to assign
 *   thumbprint       string, required        the certificate (unless previous)
 *   previous         bool, false             return the roles to their previous certificate
 *                                            (they must share one)
 *   effectiveDate    string, none            schedule the switch for this future UTC time
 *                                            ("YYYY-MM-DDTHH:MM:SSZ") instead of switching now;
 *                                            ocscert_binding_apply carries it out. The checks are
 *                                            run as of that time; the roles must be bound already.
 *   the other POOL SETTINGS  none            the names to check against; without poolFqdn, those of
 *                                            the request the certificate was issued for (an
 *                                            imported certificate's names are then not compared)
 *   trustAnchorPath  string list, []         PEM files or folders of trusted roots
 *   systemTrust      bool, true              trust the system's roots too
 *   peer, peerName, timeoutSeconds           accepted (as for ocscert_certificate_test) and ignored
 * Out:
 *   generation   the new generation's number
 *   roles        every role's binding: { <role>: { "thumbprint", "subject", "issuer",
 *                "serialNumber", "notAfter", "since", "previous": { "thumbprint", "issuer",
 *                "serialNumber", "since" } or null, "scheduled": { "thumbprint", "issuer",
 *                "serialNumber", "effective" } if one is } }
 *   assigned     the roles assigned (or scheduled), canonical names
 *   checks       [ { "check", "passed", "detail" } ]
 *   livePath     the live folder
 *   storePath    the store
 * Errors: "<Check>CheckFailed", e.g. ChainCheckFailed (OCSCERT_E_INVALID_ARGUMENT,
 *   field "thumbprint", message with the check's detail); RequiredField,
 *   InvalidRole, WebComponentsNotSupported, NoPreviousBinding, PreviousDiffers,
 *   InvalidDate, EffectiveDateInPast, RoleNotBound and those of the POOL
 *   SETTINGS (OCSCERT_E_INVALID_ARGUMENT); CertificateNotFound, PreviousRemoved (the
 *   previous certificate is not installed any more) (OCSCERT_E_NOT_FOUND).
 */
OCSCERT_API int ocscert_binding_set(char **out_json, ocscert_context *context,
                                    const char *input_json, ocscert_error **error);

/*
 * Carries out the scheduled roll-overs that are due (see "effectiveDate" of
 * ocscert_binding_set), each role in one step. Meant for the scheduled renewal
 * job: nothing due is not an error.
 *
 * In:  {} (no fields)
 * Out: applied   the roles switched (empty if none was due)
 * Errors: CertificateNotFound (OCSCERT_E_NOT_FOUND) if a scheduled certificate is
 *   not installed any more (removed by hand; a forced removal cancels the roll-over).
 */
OCSCERT_API int ocscert_binding_apply(char **out_json, ocscert_context *context,
                                      const char *input_json, ocscert_error **error);

/*
 * Lists the roles' bindings.
 *
 * In:  role          string list, all   only these roles
 * Out: generation    the live generation's number (0: nothing was ever assigned)
 *      bindings      [ { "role", "livePath" (the role's live folder), "storePath" and the
 *                    binding fields of ocscert_binding_set's "roles" } ]
 *      warnings      strings: the store folder does not exist (the list is empty)
 * Errors: InvalidRole, WebComponentsNotSupported (OCSCERT_E_INVALID_ARGUMENT).
 */
OCSCERT_API int ocscert_binding_list(char **out_json, ocscert_context *context,
                                     const char *filter_json, ocscert_error **error);

/*
 * Runs the checks of ocscert_binding_set on a certificate and reports each,
 * changing nothing; with "peer", also a real mutual-TLS handshake with a pool
 * member: PeerConnect, PeerHandshake, PeerCertificateTrusted, PeerName. A check
 * that fails is a result, not an error; so is a role whose certificate is not
 * installed any more (one failed check, Installed). Progress: the handshake.
 *
 * In:
 *   role             string, or             the one role whose certificate to test
 *   thumbprint       string                 any installed certificate (wins over role)
 *   the POOL SETTINGS, trustAnchorPath, systemTrust   as for ocscert_binding_set
 *   peer             string, none           "host:port" of a pool member, e.g. fe02.contoso.com:5061
 *   peerName         string, peer's host    the name the peer's certificate must carry
 *   timeoutSeconds   int, 5                 for the handshake
 *   previous, effectiveDate                 accepted (as for ocscert_binding_set) and ignored
 * Out: thumbprint    the certificate tested
 *      checks        [ { "check", "passed", "detail" } ]
 * Errors: RequiredField, OneRoleOnly, InvalidRole, InvalidPeer and those of the
 *   POOL SETTINGS (OCSCERT_E_INVALID_ARGUMENT); RoleNotBound, CertificateNotFound
 *   (OCSCERT_E_NOT_FOUND).
 */
OCSCERT_API int ocscert_certificate_test(char **out_json, ocscert_context *context,
                                         const char *input_json, ocscert_error **error);

/*
 * Imports a certificate with its private key and chain from a PFX (PKCS#12)
 * file: the wizard's "assign an existing certificate".
 *
 * In:
 *   path                  string, required   the PFX file (<= 1 MiB)
 *   password              string, ""         its password
 *   privateKeyExportable  bool, false        the key may leave the store again in a PFX
 *   friendlyName          string, ""         a label
 * Out: the INSTALLED CERTIFICATE (imported: true).
 * Errors: WrongPassword (field "password"), RequiredField, InvalidPath,
 *   InvalidPfx, PfxWithoutMac (no integrity MAC: "openssl pkcs12 -nomac"),
 *   NoPrivateKey, NoCertificate, KeyMismatch (OCSCERT_E_INVALID_ARGUMENT);
 *   AlreadyInstalled (OCSCERT_E_ALREADY_EXISTS).
 */
OCSCERT_API int ocscert_certificate_import(char **out_json, ocscert_context *context,
                                           const char *input_json, ocscert_error **error);

/*
 * Writes an installed certificate to a file (owner-only permissions, never
 * half-written): the public certificate, or with "password" a PFX holding the
 * key and chain, which is refused unless the key was made exportable.
 *
 * In:
 *   thumbprint   string, required   the certificate
 *   path         string, required   absolute path of the file; its folder must exist
 *   encoding     string, "PEM"      PEM or DER (without password)
 *   password     string, none       write a PFX protected by this (non-empty) password
 *   force        bool, false        overwrite an existing file
 * Out: thumbprint, path
 *      format        "PEM", "DER" or "PFX"
 * Errors: RequiredField, InvalidPath, InvalidEncoding (OCSCERT_E_INVALID_ARGUMENT);
 *   CertificateNotFound (OCSCERT_E_NOT_FOUND); OutFileExists
 *   (OCSCERT_E_ALREADY_EXISTS); KeyNotExportable (OCSCERT_E_UNSUPPORTED, field "password").
 */
OCSCERT_API int ocscert_certificate_export(char **out_json, ocscert_context *context,
                                           const char *input_json, ocscert_error **error);

/*
 * Removes an installed certificate and its key.
 *
 * In:  thumbprint   string, required   the certificate
 *      force        bool, false        remove it even while a role keeps it as previous or
 *                                      has it scheduled; those roles forget it (one change)
 * Out: removed      the thumbprint (upper case)
 * Errors: CertificateNotFound (OCSCERT_E_NOT_FOUND); CertificateInUse
 *   (OCSCERT_E_ALREADY_EXISTS): a role uses it now (forced or not), or keeps or schedules
 *   it (not forced).
 */
OCSCERT_API int ocscert_certificate_remove(char **out_json, ocscert_context *context,
                                           const char *input_json, ocscert_error **error);

/*
 * Renews every role's certificate that is due and binds the new one to the
 * same roles: the unattended renewal job. Due means: its checks fail now
 * (expired, missing key, untrusted...), or it is past renewAfter (2/3 of the
 * lifetime, 1/2 under 10 days, less a stable per-certificate offset of up to
 * 1/20, less renewBeforeDays), or force. The renewal request comes from the
 * certificate's remembered profile (new key, same algorithm, size and
 * exportable flag) and goes to the CA it came from with the settings it was
 * obtained with (caConnection); no secret is needed: ACME uses the stored
 * account, SCEP signs a RenewalReq with the current certificate. A CA that
 * holds the request leaves it Submitted for the next run; a certificate from
 * an offline CA gets a request file in <store>/renewal/<thumbprint>.req and
 * waits for the admin. The roles are bound with the trust they were assigned
 * with; the old certificate stays as previous, and stays bound if anything
 * fails. Killed anywhere, the next run carries on (nothing is ordered twice);
 * two runs at once take turns on <store>/.renewal.lock. Each action is one
 * line in <store>/logs/renewal.log; the last run is kept in <store>/renewal/status.json.
 *
 * In:
 *   validateOnly        bool, false   say what is due and why; change nothing (-WhatIf)
 *   force               bool, false   renew even what is not due
 *   renewBeforeDays     int 0..365, 0 renew this much earlier
 *   thumbprint          string        only this bound certificate
 *   deployHook          string        absolute path of a program run after a role's binding
 *                                     changes, as: hook <role> <thumbprint> <live folder>
 *   failureHook         string        run when something due was not renewed, as:
 *                                     hook <roles> <thumbprint> <reason> <message>
 *   hookTimeoutSeconds  int 1..3600, 60
 *   waitSeconds         int           how long to wait for issuance (default: as remembered)
 *   rolloverDelayHours  int 0..720, 0 schedule the switch this much later instead of now
 * Out: started, finished, result ("Succeeded" | "NothingDue" | "Failed"), renewed, failed,
 *   results: [ { thumbprint, roles, outcome, renewAfter, why, message, reason,
 *                newThumbprint, requestId } ] with outcome one of NotDue, WouldRenew,
 *   Renewed, Scheduled, Submitted (the CA holds it), WaitingForAdmin (offline CA),
 *   RenewByHand (imported, or no longer installed), Denied, Failed.
 * Reasons: OutOfRange, InvalidPath (OCSCERT_E_INVALID_ARGUMENT); StoreBusy when
 * another run holds the renewal lock for 30 minutes.
 */
OCSCERT_API int ocscert_certificate_renew(char **out_json, ocscert_context *context,
                                          const char *input_json, ocscert_error **error);

/* ---- The scheduled renewal job --------------------------------------------- */

/* Registers the renewal job with the OS scheduler: { "scheduler": "Auto" |
 * "Systemd" | "Cron" | "TaskScheduler", "command": [program, args...],
 * "folder" (write the files there and tell no scheduler), "schedule" (cron
 * only, for tests: five cron fields, no random sleep), "validateOnly" (return
 * the files' texts, write nothing) }. Auto is the Task Scheduler on Windows,
 * systemd where it runs, else cron. The files are written in one step each and
 * recorded in <store>/renewal/registration.json; registering again replaces
 * the earlier registration. Out: the record plus "texts": [{ "path", "text" }]
 * and "warnings". A folder that cannot be written is OCSCERT_E_IO with reason
 * "SchedulerFolderNotWritable" and field "folder". */
OCSCERT_API int ocscert_renewal_register(char **out_json, ocscert_context *context,
                                         const char *input_json, ocscert_error **error);

/* Removes exactly what the registration record names (stopping the timer or
 * deleting the task first), then the record: { "validateOnly" }. Nothing
 * registered is OCSCERT_E_NOT_FOUND, reason "NotRegistered". */
OCSCERT_API int ocscert_renewal_unregister(char **out_json, ocscert_context *context,
                                           const char *input_json, ocscert_error **error);

/* The registration record with "missingFiles" and "lastRun" (the renewal run's
 * <store>/renewal/status.json, or null), or only { "storePath", "warnings" }
 * when nothing is registered (a warning if the store folder does not exist). Input: {}. */
OCSCERT_API int ocscert_renewal_registration(char **out_json, ocscert_context *context,
                                             const char *input_json, ocscert_error **error);

/* ---- The pool: checked whole, and tested member against member -------------- */

/* Checks a pool definition: { "poolFqdn", the pool's other name fields
 * ("sipDomain", "topology", "automaticSignIn", "signInRedirect",
 * "includeMachineName", "domainName"), "request" (New-OcsCertificateRequest
 * settings every member shares: subject, key and CA fields), "trustAnchorPath",
 * "challengeListener" (default "0.0.0.0:80"), "mutualTlsPort" (default 5061),
 * "sshOptions" (ssh -o options for SSH members),
 * "members": [{ "fqdn", "role", "request" (its own settings over the pool's),
 * "hostName" (SSH, host or host:port; default the
 * FQDN), "port", "userName", "keyFilePath" | "computerName" (WinRM) }] }.
 * Out: the definition normalised, each member with "roles", "transport" and the
 * "names" its certificate will carry. Errors name the field as
 * "members[2].fqdn": DuplicateMember, MemberIsPool, InvalidMachineFqdn,
 * WebComponentsNotSupported, TransportConflict, NotARequestSetting, unknown keys. */
OCSCERT_API int ocscert_pool_check(char **out_json, ocscert_context *context,
                                   const char *input_json, ocscert_error **error);

/* Opens a standing http-01 listener in this process: { "listen" (host:port),
 * "peers": ["host:port", ...] (the other members' listeners, asked for tokens
 * this one does not know), "seconds" (it stops answering after this; default
 * 600) }. While it is open, any order of this process whose httpListener is the
 * same address answers through it. Reopening replaces it. Out: { "listen",
 * "peers" }. A port in use is OCSCERT_E_NETWORK, reason "ListenerUnavailable". */
OCSCERT_API int ocscert_challenge_listener_open(char **out_json, ocscert_context *context,
                                               const char *input_json, ocscert_error **error);

/* Closes it: { "listen" }. Out: { "closed": bool, "relayed": answers given for
 * a peer's token }. */
OCSCERT_API int ocscert_challenge_listener_close(char **out_json, ocscert_context *context,
                                                const char *input_json, ocscert_error **error);

/* Opens a mutual-TLS responder in this process that presents a certificate of
 * this store and demands a client certificate chaining to its trust anchors:
 * { "listen" (host:port), "role" | "thumbprint", "trustAnchorPath",
 * "systemTrust" (default: the trust the role's binding remembers), "seconds"
 * (default 300) }. Out: { "listen", "thumbprint" }. */
OCSCERT_API int ocscert_tls_responder_open(char **out_json, ocscert_context *context,
                                          const char *input_json, ocscert_error **error);

/* Closes it: { "listen" }. Out: { "closed": bool, "connections": [{ "client", "thumbprint",
 * "accepted", "detail" }] } (what each client presented and why it was refused). */
OCSCERT_API int ocscert_tls_responder_close(char **out_json, ocscert_context *context,
                                           const char *input_json, ocscert_error **error);

#ifdef __cplusplus
}
#endif

#endif /* OCSCERT_OCSCERT_H */
