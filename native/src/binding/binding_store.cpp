#include "binding/binding_store.hpp"

#include <algorithm>
#include <cstdio>

#include "certificate/ca_response.hpp"
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

// A role's files, as services read them: the certificate, its chain, both in one, and the owner-only key.
void write_role_files(const fs::path& to, const std::string& cert, const std::string& chain, const std::string& fullchain, const crypto::Secret& key) {
    platform::create_private_directories(to);
    platform::write_new_file(to / "cert.pem", cert, false);
    platform::write_new_file(to / "chain.pem", chain, false);
    platform::write_new_file(to / "fullchain.pem", fullchain, false);
    platform::write_new_file(to / "key.pem", key.bytes(), /*owner_only=*/true);
}

}  // namespace

BindingStore::BindingStore(fs::path root, const store::CertificateStore& certificates) : root_(std::move(root)), certificates_(certificates) {}

Bindings BindingStore::current() const {
    const fs::path target = platform::read_link(live_path());
    if (target.empty()) return {};
    return json::parse(store::read_text(root_ / target / "bindings.json")).get<Bindings>();
}

bool BindingStore::references(const std::string& thumbprint) const {
    const Bindings bindings = current();
    return std::any_of(bindings.roles.begin(), bindings.roles.end(), [&](const auto& role) { return role.second.references(thumbprint); });
}

std::vector<std::string> roles_using(const Bindings& bindings, const std::string& thumbprint) {
    std::vector<std::string> roles;
    for (const auto& [role, binding] : bindings.roles)
        if (text::iequals(binding.thumbprint, thumbprint)) roles.push_back(role);
    return roles;
}

void refuse_in_use(const std::string& thumbprint, const std::vector<std::string>& roles) {
    std::string list;
    for (const auto& role : roles) list += (list.empty() ? "" : ", ") + role;
    throw Error(OCSCERT_E_ALREADY_EXISTS, "CertificateInUse", "thumbprint",
                "The certificate " + text::ascii_upper(thumbprint) + " is assigned to " + (roles.size() == 1 ? "the role " : "the roles ") + list +
                    ", whose services use it; assign another certificate to " + (roles.size() == 1 ? "it" : "them") +
                    " first (Set-OcsCertificate). -Force does not remove a certificate a role uses.");
}

void BindingStore::forget(const std::string& thumbprint) {
    auto lock = store::lock_store(root_);
    const Bindings before = current();
    if (const auto roles = roles_using(before, thumbprint); !roles.empty()) refuse_in_use(thumbprint, roles);
    Bindings after = before;
    bool changed = false;
    for (auto& [role, binding] : after.roles) {
        if (binding.previous && text::iequals(binding.previous->thumbprint, thumbprint)) {
            binding.previous.reset();
            changed = true;
        }
        if (binding.scheduled && text::iequals(binding.scheduled->thumbprint, thumbprint)) {
            binding.scheduled.reset();
            changed = true;
        }
    }
    if (changed) commit_locked(before, after, {}, nullptr);
}

Bindings BindingStore::assign(const std::vector<std::string>& roles, const store::InstalledCertificate& certificate, const crypto::TrustAnchors& trust) {
    auto lock = store::lock_store(root_);
    return assign_locked(roles, certificate, &trust);
}

Bindings BindingStore::assign_locked(const std::vector<std::string>& roles, const store::InstalledCertificate& certificate, const crypto::TrustAnchors* trust) {
    const Bindings before = current();
    Bindings after = before;
    const std::string now = platform::utc_now();
    const auto& info = certificate.record.info;
    for (const auto& role : roles) {
        RoleBinding binding{info.thumbprint, info.subject, info.issuer, info.serial_number, info.not_after, now, {}, true, std::nullopt, std::nullopt};
        if (const auto old = before.roles.find(role); old != before.roles.end()) {
            binding.previous = PreviousCertificate{old->second.thumbprint, old->second.issuer, old->second.serial_number, old->second.since};
            binding.trust_anchor_paths = old->second.trust_anchor_paths;
            binding.system_trust = old->second.system_trust;
        }
        if (trust) {
            binding.trust_anchor_paths.clear();
            for (const auto& path : trust->paths) binding.trust_anchor_paths.push_back(path.u8string());
            binding.system_trust = trust->system_trust;
        }
        // A new assignment replaces the role's entry whole, a scheduled roll-over included.
        after.roles[role] = binding;
    }
    return commit_locked(before, after, roles, &certificate);
}

Bindings BindingStore::schedule(const std::vector<std::string>& roles, const store::InstalledCertificate& certificate, const std::string& effective) {
    auto lock = store::lock_store(root_);
    const Bindings before = current();
    Bindings after = before;
    const auto& info = certificate.record.info;
    for (const auto& role : roles) {
        if (!before.roles.count(role))
            invalid("role", "RoleNotBound", "The " + role + " role has no certificate yet; a roll-over replaces one, so assign it now instead.");
        after.roles[role].scheduled = ScheduledRollOver{info.thumbprint, info.issuer, info.serial_number, effective};
    }
    return commit_locked(before, after, {}, nullptr);
}

std::vector<std::string> BindingStore::apply_due(const std::string& now) {
    auto lock = store::lock_store(root_);
    std::vector<std::string> applied;
    const Bindings bindings = current();
    // ISO 8601 UTC strings of one format compare like the times they name; drop now's milliseconds to match.
    const std::string now_seconds = now.substr(0, 19) + "Z";
    for (const auto& [role, entry] : bindings.roles) {
        if (!entry.scheduled || entry.scheduled->effective > now_seconds) continue;
        assign_locked({role}, certificates_.load(entry.scheduled->thumbprint, "thumbprint"), nullptr);
        applied.push_back(role);
    }
    return applied;
}

Bindings BindingStore::commit_locked(const Bindings& before, Bindings after, const std::vector<std::string>& changed,
                                     const store::InstalledCertificate* certificate) {
    platform::create_private_directories(generations());
    long next = before.generation;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(generations(), ec))
        next = std::max(next, generation_number(entry.path().filename().string()));
    ++next;
    after.generation = next;

    const fs::path staging = generations() / (".staging-" + generation_name(next));
    fs::remove_all(staging, ec);
    platform::create_private_directories(staging);
    for (const auto& [role, entry] : after.roles) {
        if (std::find(changed.begin(), changed.end(), role) != changed.end()) {
            std::string chain;
            for (const auto& cert : certificate->chain) chain += certificate::to_pem(cert.get());
            const std::string cert = certificate::to_pem(certificate->leaf.get());
            write_role_files(staging / role, cert, chain, cert + chain, certificates_.key_pem(certificate->record, false, "thumbprint"));
        } else {
            const fs::path from = root_ / platform::read_link(live_path()) / role;
            write_role_files(staging / role, store::read_text(from / "cert.pem"), store::read_text(from / "chain.pem"),
                             store::read_text(from / "fullchain.pem"), crypto::Secret(store::read_text(from / "key.pem")));
        }
    }
    platform::write_new_file(staging / "bindings.json", json(after).dump(2), false);
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
