#include "binding/binding_store.hpp"

#include <algorithm>
#include <cstdio>

#include "core/error.hpp"
#include "core/text.hpp"
#include "crypto/secret.hpp"
#include "platform/platform.hpp"
#include "store/store_files.hpp"

namespace ocscert::binding {

using nlohmann::json;

namespace {

constexpr int kept_generations = 5;  // besides the live one, for rollback and inspection

std::string generation_name(long n) {
    char text[24];  // room for any long
    std::snprintf(text, sizeof text, "%06ld", n);
    return text;
}

long generation_number(const std::string& name) {
    if (name.size() != 6 || name.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::stol(name);
}

void copy_role_files(const fs::path& from_folder, const fs::path& to, bool from_certificate) {
    platform::create_private_directories(to);
    const std::string cert = store::read_text(from_folder / "cert.pem");
    const std::string chain = store::read_text(from_folder / "chain.pem");
    const crypto::Secret key(store::read_text(from_folder / "key.pem"));
    platform::write_new_file(to / "cert.pem", cert, false);
    platform::write_new_file(to / "chain.pem", chain, false);
    platform::write_new_file(to / "fullchain.pem", from_certificate ? cert + chain : store::read_text(from_folder / "fullchain.pem"), false);
    platform::write_new_file(to / "key.pem", key.bytes(), /*owner_only=*/true);
}

}  // namespace

BindingStore::BindingStore(fs::path root) : root_(std::move(root)) {}

json BindingStore::current() const {
    const fs::path target = platform::read_link(live_path());
    if (target.empty()) return {{"generation", 0}, {"roles", json::object()}};
    return json::parse(store::read_text(root_ / target / "bindings.json"));
}

bool BindingStore::references(const std::string& thumbprint) const {
    const json bindings = current();  // named: a temporary in the range expression would die before the loop
    for (const auto& [role, entry] : bindings["roles"].items()) {
        if (entry.value("thumbprint", "") == thumbprint) return true;
        for (const char* kept : {"previous", "scheduled"})
            if (entry.contains(kept) && entry[kept].is_object() && entry[kept].value("thumbprint", "") == thumbprint) return true;
    }
    return false;
}

json BindingStore::assign(const std::vector<std::string>& roles, const store::InstalledCertificate& certificate) {
    auto lock = store::lock_store(root_);
    return assign_locked(roles, certificate);
}

json BindingStore::assign_locked(const std::vector<std::string>& roles, const store::InstalledCertificate& certificate) {
    const json before = current();
    json after = before;
    const std::string now = platform::utc_now();
    const auto& record = certificate.record;
    for (const auto& role : roles) {
        json previous = nullptr;
        if (before["roles"].contains(role)) {
            const auto& old = before["roles"][role];
            previous = {{"thumbprint", old["thumbprint"]}, {"issuer", old["issuer"]}, {"serialNumber", old["serialNumber"]}, {"since", old["since"]}};
        }
        // A new assignment replaces the role's entry whole, a scheduled roll-over included.
        after["roles"][role] = {{"thumbprint", record["thumbprint"]}, {"subject", record["subject"]},     {"issuer", record["issuer"]},
                                {"serialNumber", record["serialNumber"]}, {"notAfter", record["notAfter"]}, {"since", now},
                                {"previous", previous}};
    }
    return commit_locked(before, after, roles, &certificate);
}

json BindingStore::schedule(const std::vector<std::string>& roles, const store::InstalledCertificate& certificate, const std::string& effective) {
    auto lock = store::lock_store(root_);
    const json before = current();
    json after = before;
    for (const auto& role : roles) {
        if (!before["roles"].contains(role))
            invalid("role", "RoleNotBound", "The " + role + " role has no certificate yet; a roll-over replaces one, so assign it now instead.");
        after["roles"][role]["scheduled"] = {{"thumbprint", certificate.record["thumbprint"]}, {"issuer", certificate.record["issuer"]},
                                             {"serialNumber", certificate.record["serialNumber"]}, {"effective", effective}};
    }
    return commit_locked(before, after, {}, nullptr);
}

std::vector<std::string> BindingStore::apply_due(const std::string& now, const std::function<store::InstalledCertificate(const std::string&)>& load) {
    auto lock = store::lock_store(root_);
    std::vector<std::string> applied;
    const json bindings = current();
    // ISO 8601 UTC strings of one format compare like the times they name; drop now's milliseconds to match.
    const std::string now_seconds = now.substr(0, 19) + "Z";
    for (const auto& [role, entry] : bindings["roles"].items()) {
        if (!entry.contains("scheduled") || entry["scheduled"].value("effective", "") > now_seconds) continue;
        assign_locked({role}, load(entry["scheduled"]["thumbprint"]));
        applied.push_back(role);
    }
    return applied;
}

json BindingStore::commit_locked(const json& before, json after, const std::vector<std::string>& changed, const store::InstalledCertificate* certificate) {
    platform::create_private_directories(generations());
    long next = before.value("generation", 0L);
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(generations(), ec))
        next = std::max(next, generation_number(entry.path().filename().string()));
    ++next;
    after["generation"] = next;

    const fs::path staging = generations() / (".staging-" + generation_name(next));
    fs::remove_all(staging, ec);
    platform::create_private_directories(staging);
    for (const auto& [role, entry] : after["roles"].items()) {
        if (std::find(changed.begin(), changed.end(), role) != changed.end()) copy_role_files(certificate->folder, staging / role, true);
        else copy_role_files(root_ / platform::read_link(live_path()) / role, staging / role, false);
    }
    platform::write_new_file(staging / "bindings.json", after.dump(2), false);
    platform::crash_point("bind.before-commit");
    platform::rename_durably(staging, generations() / generation_name(next));
    platform::crash_point("bind.before-switch");
    platform::switch_link(live_path(), fs::path("generations") / generation_name(next));
    platform::crash_point("bind.after-switch");
    prune(next);
    return after;
}

void BindingStore::prune(long live_generation) const {
    std::vector<long> numbers;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(generations(), ec)) {
        const std::string name = entry.path().filename().string();
        const long n = generation_number(name);
        if (n < 0) {
            fs::remove_all(entry.path(), ec);  // staging leftovers
        } else if (n > live_generation) {
            fs::remove_all(entry.path(), ec);  // committed but never switched to: a killed change
        } else if (n < live_generation) {
            numbers.push_back(n);
        }
    }
    std::sort(numbers.rbegin(), numbers.rend());
    for (std::size_t i = kept_generations; i < numbers.size(); ++i) fs::remove_all(generations() / generation_name(numbers[i]), ec);
}

}  // namespace ocscert::binding
