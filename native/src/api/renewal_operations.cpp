// The unattended renewal run (Update-OcsCertificate, and the scheduled job):
// for every certificate bound to a role, renew it when it is due and bind the
// new one to the same roles, so a role never goes without a working certificate.
//
// Every step is a durable store change, so a run killed anywhere is finished
// by the next one: a renewal request (renewalOf = the old thumbprint) is made
// once, submitted, collected while the CA holds it, installed (the request
// then becomes a certificate that records renewalOf), then bound. Two runs at
// once take turns on the renewal lock; one certificate's trouble never stops
// the others; the old certificate stays bound until the new one passes its checks.
#include <fstream>
#include <map>

#include "api/check_inputs.hpp"
#include "api/operations.hpp"
#include "api/request_creation.hpp"
#include "api/stores.hpp"
#include "core/error.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "platform/platform.hpp"
#include "renewal/renewal_window.hpp"

namespace ocscert::api {

namespace fs = std::filesystem;

namespace {

// How long a run waits for another to finish: a renewal takes minutes at most.
constexpr auto renewal_lock_timeout = std::chrono::minutes(30);

struct RunOptions {
    bool what_if = false;
    bool force = false;
    std::chrono::seconds renew_before{0};
    std::string only;  // a thumbprint, or empty for all
    fs::path deploy_hook, failure_hook;
    std::chrono::seconds hook_timeout{60};
    std::optional<int> wait_seconds;
    std::chrono::seconds rollover_delay{0};
};

// Outcomes that mean "something due was not renewed": they make the run fail and fire the failure hook.
bool is_failure(const std::string& outcome) {
    return outcome == "Failed" || outcome == "Denied" || outcome == "WaitingForAdmin" || outcome == "RenewByHand";
}

class RenewalRun {
public:
    RenewalRun(ocscert_context& context, RunOptions options) : context_(context), options_(std::move(options)), stores_(context) {}

    bool hook_failed() const { return hook_failed_; }

    json run() {
        json results = json::array();
        if (options_.what_if) {
            // -WhatIf changes nothing: a roll-over that came due is said, not carried out.
            const std::string now = platform::utc_now();
            for (const auto& [role, binding] : stores_.bindings.current().roles)
                if (binding.scheduled && binding.scheduled->effective <= now)
                    results.push_back({{"thumbprint", binding.scheduled->thumbprint}, {"roles", {role}}, {"outcome", "WouldRollOver"},
                                       {"message", "Would switch " + role + " to the certificate scheduled for " + binding.scheduled->effective + "."}});
        } else {
            for (const auto& role : stores_.bindings.apply_due(platform::utc_now())) {
                const auto binding = stores_.bindings.current().roles.at(role);
                log(role, binding.thumbprint, "RolledOver", "the scheduled roll-over came due");
                deploy({role}, binding.thumbprint);
            }
        }
        std::map<std::string, std::vector<std::string>> roles_by_certificate;
        for (const auto& [role, binding] : stores_.bindings.current().roles) roles_by_certificate[binding.thumbprint].push_back(role);
        // Asked for one certificate that no role uses or used before it (one renewed already is nothing to do):
        // said, not a run that renewed nothing, successfully.
        if (!options_.only.empty() && !stores_.bindings.references(text::ascii_upper(options_.only)))
            throw Error(OCSCERT_E_NOT_FOUND, "CertificateNotBound", "thumbprint",
                        "No role uses the certificate " + text::quote(options_.only) + "; renewal keeps the certificates roles use (Get-OcsCertificateBinding lists them).");
        for (const auto& [thumbprint, roles] : roles_by_certificate) {
            if (!options_.only.empty() && !text::iequals(options_.only, thumbprint)) continue;
            json result = {{"thumbprint", thumbprint}, {"roles", roles}};
            try {
                renew_if_due(thumbprint, roles, result);
            } catch (const Error& e) {
                if (e.code() == OCSCERT_E_CANCELLED) throw;
                result["outcome"] = "Failed";
                result["reason"] = e.reason();
                result["message"] = e.what();
            }
            const std::string outcome = result["outcome"];
            if (outcome != "NotDue" && outcome != "WouldRenew") log(text_of(roles), thumbprint, outcome, result.value("message", ""));
            if (is_failure(outcome) && !options_.what_if) fail_hook(thumbprint, roles, result);
            results.push_back(std::move(result));
        }
        return results;
    }

private:
    void renew_if_due(const std::string& thumbprint, const std::vector<std::string>& roles, json& result) {
        if (!stores_.certificates->contains(thumbprint)) {
            result["outcome"] = "RenewByHand";
            result["reason"] = "CertificateMissing";
            result["message"] = "The certificate bound to " + text_of(roles) + " is no longer installed; assign another by hand.";
            return;
        }
        const auto current = stores_.certificates->load(thumbprint, "thumbprint");
        const auto bindings = stores_.bindings.current();
        const auto& binding = bindings.roles.at(roles.front());
        const auto checks = binding::run_checks(*stores_.certificates, current, check_options(json::object(), current, &binding));
        const std::time_t renew_after = renewal::renew_after(current.record.info, options_.renew_before);
        result["renewAfter"] = platform::utc_text(renew_after);
        std::string why;
        if (const auto* failed = binding::first_failure(checks)) why = "its " + failed->name + " check fails: " + failed->detail;
        else if (std::time(nullptr) >= renew_after) why = "it is past its renewal time " + platform::utc_text(renew_after);
        else if (options_.force) why = "a renewal was asked for";
        if (why.empty()) {
            result["outcome"] = "NotDue";
            return;
        }
        result["why"] = why;
        if (options_.what_if) {
            result["outcome"] = "WouldRenew";
            result["message"] = "Would renew: " + why + ".";
            return;
        }
        const auto renewed = obtain_renewal(current, result);
        if (!renewed) return;  // left waiting, or refused: result says which
        bind(*renewed, roles, binding, result);
    }

    // The new certificate: one installed by an earlier, interrupted run, or one got from the CA now.
    std::optional<std::string> obtain_renewal(const store::InstalledCertificate& current, json& result) {
        const std::string& old = current.record.thumbprint();
        for (const auto& installed : stores_.certificates->list())
            if (installed.renewal_of == old) return installed.thumbprint();

        std::optional<store::RequestRecord> request;
        for (auto& pending : stores_.requests.list())
            if (pending.renewal_of == old) request = std::move(pending);
        const auto& remembered = current.record.ca_connection;
        if (!request) {
            if (!current.record.profile.is_object() || current.record.profile.empty()) {
                result["outcome"] = "RenewByHand";
                result["reason"] = "NoRequestProfile";
                result["message"] = "It was imported, not requested here, so there is no profile to renew it from; request a new certificate by hand.";
                return std::nullopt;
            }
            NewRequestOptions options;
            options.renewal_of = old;
            options.ca_connection = remembered;
            if (!remembered) {
                // An offline CA: a new request file for the admin to take to the CA.
                const fs::path folder = stores_.root / "renewal";
                platform::create_private_directories(folder);
                options.out_file = folder / (old + ".req");
                std::error_code ec;
                fs::remove(options.out_file, ec);
            }
            const auto profile = request::parse_profile(current.record.profile, platform::local_fqdn);
            request = create_request(context_, stores_, profile, options);
        }
        result["requestId"] = request->id;
        if (request->state == "Denied") {
            result["outcome"] = "Denied";
            result["reason"] = request->last_error ? request->last_error->reason : "Denied";
            result["message"] = "The CA refused renewal request " + request->id + (request->last_error ? ": " + request->last_error->message : ".") +
                                " Remove the request to try again.";
            return std::nullopt;
        }
        const auto settings = request->ca_connection ? request->ca_connection : remembered;
        if (!settings || settings->ca.empty()) {
            result["outcome"] = "WaitingForAdmin";
            result["reason"] = "OfflineCa";
            result["message"] = "The renewal request " + request->id + " is in " + text::quote(request->out_file) +
                                ": send it to the CA and complete it with Complete-OcsCertificateRequest.";
            return std::nullopt;
        }
        auto connection = *settings;
        if (options_.wait_seconds) connection.wait_seconds = options_.wait_seconds;
        const ca::Credential no_secret;  // a renewal never needs one: ACME uses the account, SCEP signs with the current certificate
        const ca::RenewalOf renewal_of{current.leaf.get(), [&] { return stores_.certificates->private_key(current.record); }};
        const json answer = exchange_with_ca(context_, stores_, *request, connection, no_secret, request->state == "Submitted", json::object(), &renewal_of);
        const std::string outcome = answer.value("outcome", "");
        if (outcome == "Issued") return answer["certificate"]["thumbprint"].get<std::string>();
        if (outcome == "Pending") {
            result["outcome"] = "Submitted";
            result["message"] = "The CA holds renewal request " + request->id + "; the next run collects it (" +
                                answer["request"].value("nextPoll", "") + ").";
        } else {
            result["outcome"] = "Denied";
            result["reason"] = answer["request"]["lastError"].value("reason", "Denied");
            result["message"] = answer["request"]["lastError"].value("message", "The CA refused the renewal.");
        }
        return std::nullopt;
    }

    void bind(const std::string& renewed, const std::vector<std::string>& roles, const binding::RoleBinding& binding, json& result) {
        const auto certificate = stores_.certificates->load(renewed, "thumbprint");
        const auto options = check_options(json::object(), certificate, &binding);
        const auto checks = binding::run_checks(*stores_.certificates, certificate, options);
        if (const auto* failed = binding::first_failure(checks))
            invalid("thumbprint", failed->name + "CheckFailed",
                    "The renewed certificate " + renewed + " is installed but not bound, since its " + failed->name + " check fails: " + failed->detail +
                        " The old certificate stays bound.");
        result["newThumbprint"] = renewed;
        if (options_.rollover_delay.count() > 0) {
            const std::string effective = platform::utc_in(options_.rollover_delay).substr(0, 19) + "Z";
            stores_.bindings.schedule(roles, certificate, effective);
            result["outcome"] = "Scheduled";
            result["message"] = "Renewed as " + renewed + "; the roles switch to it at " + effective + ".";
            return;
        }
        stores_.bindings.assign(roles, certificate, options.trust);
        platform::crash_point("renew.after-bind");
        result["outcome"] = "Renewed";
        result["message"] = "Renewed as " + renewed + " (" + result.value("why", "") + ").";
        deploy(roles, renewed);
    }

    void deploy(const std::vector<std::string>& roles, const std::string& thumbprint) {
        if (options_.deploy_hook.empty()) return;
        for (const auto& role : roles) {
            const std::string live = (stores_.bindings.live_path() / role).u8string();
            run_hook(options_.deploy_hook, {role, thumbprint, live}, "deployHook", role, thumbprint);
        }
    }

    void fail_hook(const std::string& thumbprint, const std::vector<std::string>& roles, const json& result) {
        if (options_.failure_hook.empty()) return;
        run_hook(options_.failure_hook, {text_of(roles), thumbprint, result.value("reason", result.value("outcome", "")), result.value("message", "")},
                 "failureHook", text_of(roles), thumbprint);
    }

    // A hook's trouble is logged and makes the run fail, but changes nothing already done.
    void run_hook(const fs::path& hook, const std::vector<std::string>& arguments, const char* field, const std::string& roles, const std::string& thumbprint) {
        try {
            const int code = platform::run_program(hook, arguments, options_.hook_timeout, field);
            if (code != 0) {
                hook_failed_ = true;
                log(roles, thumbprint, "HookFailed", std::string(field) + " " + hook.u8string() + " exited with " + std::to_string(code));
            }
        } catch (const Error& e) {
            hook_failed_ = true;
            log(roles, thumbprint, "HookFailed", e.what());
        }
    }

    // One readable line per action, in the store's log (never a secret: none passes through here).
    void log(const std::string& roles, const std::string& thumbprint, const std::string& outcome, const std::string& message) {
        const fs::path folder = stores_.root / "logs";
        platform::create_private_directories(folder);
        std::ofstream(folder / "renewal.log", std::ios::app) << platform::utc_now() << ' ' << outcome << ' ' << (roles.empty() ? "-" : roles) << ' '
                                                             << thumbprint << ' ' << message << '\n';
    }

    static std::string text_of(const std::vector<std::string>& roles) {
        std::string out;
        for (const auto& role : roles) out += (out.empty() ? "" : ",") + role;
        return out;
    }

    ocscert_context& context_;
    RunOptions options_;
    Stores stores_;
    bool hook_failed_ = false;
};

RunOptions read_options(const json& input) {
    json_input::reject_unknown(input, {"validateOnly", "force", "renewBeforeDays", "thumbprint", "deployHook", "failureHook", "hookTimeoutSeconds",
                                       "waitSeconds", "rolloverDelayHours"});
    RunOptions o;
    o.what_if = json_input::bool_or(input, "validateOnly", false);
    o.force = json_input::bool_or(input, "force", false);
    const int before = json_input::optional_int(input, "renewBeforeDays").value_or(0);
    if (before < 0 || before > 365) invalid("renewBeforeDays", "OutOfRange", "Renew 0 to 365 days earlier than the certificate's renewal time.");
    o.renew_before = std::chrono::hours(24 * before);
    o.only = thumbprint_field(input);
    for (auto [field, target] : {std::pair{"deployHook", &o.deploy_hook}, std::pair{"failureHook", &o.failure_hook}}) {
        const auto hook = json_input::string_or(input, field, "");
        if (hook.empty()) continue;
        *target = fs::u8path(hook);
        std::error_code ec;
        if (!target->is_absolute()) invalid(field, "InvalidPath", text::quote(hook) + " is not an absolute path; give the program's full path.");
        if (fs::is_directory(*target, ec)) invalid(field, "InvalidPath", text::quote(hook) + " is a folder; give the program's full path.");
        if (!fs::is_regular_file(*target, ec)) invalid(field, "InvalidPath", text::quote(hook) + " does not exist; give the program's full path.");
    }
    const int timeout = json_input::optional_int(input, "hookTimeoutSeconds").value_or(60);
    if (timeout < 1 || timeout > 3600) invalid("hookTimeoutSeconds", "OutOfRange", "A hook may run 1 to 3600 seconds.");
    o.hook_timeout = std::chrono::seconds(timeout);
    o.wait_seconds = json_input::optional_int(input, "waitSeconds");
    const int delay = json_input::optional_int(input, "rolloverDelayHours").value_or(0);
    if (delay < 0 || delay > 24 * 30) invalid("rolloverDelayHours", "OutOfRange", "The roll-over delay is 0 to 720 hours.");
    o.rollover_delay = std::chrono::hours(delay);
    return o;
}

}  // namespace

json certificate_renew(ocscert_context& context, const json& input) {
    const RunOptions options = read_options(input);
    // Registering a job writes into its store, so a store that does not exist is a mistyped path: said,
    // and the job fails, instead of renewing nothing, successfully, at every run.
    std::error_code unknown;
    if (!fs::exists(context.store_path, unknown))
        throw Error(OCSCERT_E_NOT_FOUND, "StoreNotFound", "storePath",
                    "The store '" + context.store_path.u8string() + "' does not exist, so it holds nothing to renew; check the store path "
                    "(-StorePath, $env:OCSCERT_STORE, or the job's command line).");
    // Two runs take turns: the second finds done what the first did.
    std::optional<platform::FileLock> lock;
    if (!options.what_if) lock.emplace(context.store_path / ".renewal.lock", renewal_lock_timeout);
    const std::string started = platform::utc_now();
    RenewalRun run(context, options);
    json results = run.run();
    std::size_t renewed = 0, failed = 0;
    for (const auto& r : results) {
        const std::string outcome = r["outcome"];
        if (outcome == "Renewed" || outcome == "Scheduled") ++renewed;
        if (is_failure(outcome)) ++failed;
    }
    const std::string result = failed > 0 || run.hook_failed() ? "Failed" : renewed > 0 ? "Succeeded" : "NothingDue";
    json status = {{"started", started}, {"finished", platform::utc_now()}, {"result", result}, {"renewed", renewed}, {"failed", failed},
                   {"results", results}};
    if (!options.what_if) {
        const fs::path folder = context.store_path / "renewal";
        platform::create_private_directories(folder);
        const fs::path staged = folder / "status.json.new";
        std::error_code ec;
        fs::remove(staged, ec);
        platform::write_new_file(staged, status.dump(2), false);
        platform::replace_file(staged, folder / "status.json");
    }
    status["storePath"] = context.store_path.u8string();
    return status;
}

}  // namespace ocscert::api
