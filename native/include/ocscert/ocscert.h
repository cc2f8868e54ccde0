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
 *  - No exception or signal crosses this boundary. Every function is
 *    thread-safe; one context may be used from several threads at once, and
 *    ocscert_context_cancel may be called from any thread.
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
/* The input field at fault (e.g. "poolFqdn", "sipDomains[1]"), or "" if none. */
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
 * Progress of long operations (key generation now; CA submission later), as
 * JSON: { "activity": "...", "status": "...", "percent": 0..100 or -1 }.
 * Called on the thread that runs the operation. Set it before starting
 * operations on the context.
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
 * All share one shape: (out JSON, context, input JSON, error). Input fields are
 * documented in README.md ("C interface").
 */

/* The subject and Subject Alternative Names a request profile yields, each name
 * with the reason it is there. Writes nothing. */
OCSCERT_API int ocscert_names_resolve(char **out_json, ocscert_context *context,
                                      const char *profile_json, ocscert_error **error);

/* Generates a key and a PKCS#10 request, keeps both (and the profile) in the
 * store as a pending request, and optionally writes the request to a file. */
OCSCERT_API int ocscert_request_new(char **out_json, ocscert_context *context,
                                    const char *profile_json, ocscert_error **error);

/* Lists pending requests: filter { "id": "..." } or {} for all. */
OCSCERT_API int ocscert_request_list(char **out_json, ocscert_context *context,
                                     const char *filter_json, ocscert_error **error);

/* Removes a pending request and its key: { "id": "..." }. */
OCSCERT_API int ocscert_request_remove(char **out_json, ocscert_context *context,
                                       const char *selector_json, ocscert_error **error);

/* Installs the CA's answer to a pending request: { "path": "<file>" } holding a
 * PEM or DER certificate, a PEM chain or a PKCS#7 bundle. The certificate is
 * matched to the pending request by public key and must carry every name the
 * request asked for; the request is then completed. Nothing changes on failure. */
OCSCERT_API int ocscert_request_complete(char **out_json, ocscert_context *context,
                                         const char *response_json, ocscert_error **error);

/* Sends a pending request to an online CA and installs what it issues:
 * { "id", "ca": "acme:<directory URL>" | "scep:<URL>", "caBundle", "caFingerprint",
 *   "credential": { "userName", "password" } (ACME: EAB key id and HMAC key;
 *   SCEP: the challenge password), "httpListener" | "webRoot" | "dnsHook",
 *   "contact", "timeoutSeconds", "waitSeconds", "assign", "trustAnchorPath" }.
 * Out: { "outcome": "Issued" | "Pending" | "Denied", "certificate" | "request",
 * "assignment" | "assignError" }. A CA that cannot be reached or answers badly
 * fails with OCSCERT_E_NETWORK; the request is kept with the reason. */
OCSCERT_API int ocscert_request_submit(char **out_json, ocscert_context *context,
                                       const char *input_json, ocscert_error **error);

/* Asks the CAs about submitted requests: { "id" } for one (now), or {} for
 * every request whose next poll time has come. One request's failure never
 * stops the others: { "results": [ { "id", "outcome", ... } ] }. */
OCSCERT_API int ocscert_request_receive(char **out_json, ocscert_context *context,
                                        const char *input_json, ocscert_error **error);

/* Lists installed certificates: filter { "thumbprint": "..." } or {} for all. */
OCSCERT_API int ocscert_certificate_list(char **out_json, ocscert_context *context,
                                         const char *filter_json, ocscert_error **error);

/* Assigns an installed certificate to roles of this server after checking it
 * (private key, validity, server and client authentication, names, key size,
 * chain to a trusted root): { "role": [...], "thumbprint": "..." } or
 * { "role": [...], "previous": true } to roll back. Optional: the pool
 * settings (poolFqdn, sipDomain, ...) to check names against, "trustAnchorPath"
 * (PEM files or folders) and "systemTrust" (default true). A failed check is
 * OCSCERT_E_INVALID_ARGUMENT with reason "<Check>CheckFailed"; nothing changes. */
OCSCERT_API int ocscert_binding_set(char **out_json, ocscert_context *context,
                                    const char *input_json, ocscert_error **error);

/* Carries out the scheduled roll-overs that are due ({}); ocscert_binding_set
 * with "effectiveDate" (UTC, "YYYY-MM-DDTHH:MM:SSZ") schedules one. Returns
 * { "applied": [roles] }. Meant for the scheduled renewal job. */
OCSCERT_API int ocscert_binding_apply(char **out_json, ocscert_context *context,
                                      const char *input_json, ocscert_error **error);

/* The roles' bindings: filter { "role": [...] } or {} for all. */
OCSCERT_API int ocscert_binding_list(char **out_json, ocscert_context *context,
                                     const char *filter_json, ocscert_error **error);

/* Runs the binding checks on a role's certificate ({ "role": "FrontEnd" }) or on
 * any installed one ({ "thumbprint": "..." }) and reports each. */
OCSCERT_API int ocscert_certificate_test(char **out_json, ocscert_context *context,
                                         const char *input_json, ocscert_error **error);

/* Imports a certificate with its key from a PFX: { "path", "password",
 * "privateKeyExportable" (default false), "friendlyName" }. A wrong password
 * is reason "WrongPassword" with field "password". */
OCSCERT_API int ocscert_certificate_import(char **out_json, ocscert_context *context,
                                           const char *input_json, ocscert_error **error);

/* Writes an installed certificate to a file: { "thumbprint", "path", "encoding"
 * (PEM or DER), "force" }; with "password", a PFX with the key, refused
 * (OCSCERT_E_UNSUPPORTED, "KeyNotExportable") unless the key was made exportable. */
OCSCERT_API int ocscert_certificate_export(char **out_json, ocscert_context *context,
                                           const char *input_json, ocscert_error **error);

/* Removes an installed certificate and its key: { "thumbprint", "force" };
 * refused ("CertificateInUse") while a role uses it or keeps it as previous. */
OCSCERT_API int ocscert_certificate_remove(char **out_json, ocscert_context *context,
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
 * <store>/renewal/status.json, or null), or only { "storePath" } when nothing
 * is registered. Input: {}. */
OCSCERT_API int ocscert_renewal_registration(char **out_json, ocscert_context *context,
                                             const char *input_json, ocscert_error **error);

#ifdef __cplusplus
}
#endif

#endif /* OCSCERT_OCSCERT_H */
