#include "names/san_resolver.hpp"

#include <algorithm>
#include <optional>

#include "core/text.hpp"
#include "names/idna.hpp"

namespace ocscert::names {

const char* to_string(Role role) {
    static const char* const names[] = {"FrontEnd", "WebConferencing", "AudioVideo"};  // in the enum's order
    return names[static_cast<int>(role)];
}

const char* to_string(Topology topology) {
    return topology == Topology::Expanded ? "Expanded" : "Consolidated";
}

namespace {

// The scripts whose letters look alike (a Cyrillic 'о' is a Latin 'o' on screen); other letters and
// digits do not count.
enum class Script { None, Latin, Greek, Cyrillic };

Script script_of(char32_t cp) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 0x00E0 && cp <= 0x024F) || (cp >= 0x1E00 && cp <= 0x1EFF)) return Script::Latin;
    if (cp >= 0x0370 && cp <= 0x03FF) return Script::Greek;
    if (cp >= 0x0400 && cp <= 0x052F) return Script::Cyrillic;
    return Script::None;
}

// IDNA allows a label that mixes Latin, Greek and Cyrillic letters; browsers show such names as
// Punycode because that is how look-alike names are made. A certificate for one is allowed, but
// almost never what the admin meant.
std::optional<std::string> mixed_script_warning(const std::string& name) {
    static const char* const words[] = {"", "Latin", "Greek", "Cyrillic"};
    for (const auto& label : split_idna_labels(name)) {
        const auto unicode = to_unicode_label(label);
        std::u32string points;
        if (!unicode || !text::decode_utf8(*unicode, points)) continue;
        Script first = Script::None;
        for (const char32_t cp : points) {
            const Script script = script_of(cp);
            if (script == Script::None) continue;
            if (first == Script::None) first = script;
            else if (script != first)
                return "The name '" + name + "' ('" + *unicode + "' in it) mixes " + words[static_cast<int>(first)] + " and " +
                       words[static_cast<int>(script)] + " letters, as look-alike names do; check that it is the name you meant.";
        }
    }
    return std::nullopt;
}

bool has_role(const NameInputs& inputs, Role role) {
    return std::find(inputs.roles.begin(), inputs.roles.end(), role) != inputs.roles.end();
}

std::string sip_reason(const NameInputs& in) {
    // The wizard's note in step 12: required when all three conditions hold; the
    // wizard adds the names by itself as soon as the pool does automatic logon or
    // sign-in redirection, so we do the same and say which case applies.
    if (in.sip_domains.size() > 1 && in.automatic_sign_in && in.sign_in_redirect)
        return "Required: several SIP domains, clients use automatic configuration, and this pool authenticates and redirects sign-in.";
    std::string why = in.automatic_sign_in && in.sign_in_redirect ? "automatic logon and sign-in redirection"
                      : in.automatic_sign_in                      ? "automatic logon"
                                                                  : "sign-in redirection";
    return "Added for the SIP domain because the pool is configured for " + why + ", as the wizard does.";
}

}  // namespace

bool machine_name_by_default(const NameInputs& inputs) {
    // In the expanded topology Web Conferencing and A/V servers are separate
    // computers that clients and the pool reach by their own FQDN.
    return inputs.topology == Topology::Expanded &&
           (has_role(inputs, Role::WebConferencing) || has_role(inputs, Role::AudioVideo));
}

ResolvedNames resolve(const NameInputs& in) {
    ResolvedNames out;
    out.common_name = in.pool_fqdn;

    auto add = [&](const std::string& name, const char* source, const std::string& reason) {
        auto same = [&](const ResolvedName& n) { return text::iequals(n.name, name); };
        auto existing = std::find_if(out.names.begin(), out.names.end(), same);
        if (existing == out.names.end()) out.names.push_back({name, source, reason});
        else existing->reason += " Also: " + reason;
    };

    add(in.pool_fqdn, "PoolFqdn",
        "Subject name: the pool FQDN. Repeated as the first alternative name because clients ignore the subject when alternative names exist.");

    if (has_role(in, Role::FrontEnd) && (in.automatic_sign_in || in.sign_in_redirect)) {
        const std::string reason = sip_reason(in);
        for (const auto& domain : in.sip_domains) {
            add("sip." + domain, "SipDomain", reason);
            if (domain.rfind("sip.", 0) == 0)
                out.warnings.push_back("The SIP domain '" + domain + "' begins with 'sip.', so the certificate carries 'sip." + domain +
                                       "'. Give the SIP domain itself ('" + domain.substr(4) + "'): 'sip.' is added for it.");
        }
    }

    out.machine_name_included = in.include_machine_name.value_or(machine_name_by_default(in));
    if (out.machine_name_included) {
        add(in.machine_fqdn, "MachineFqdn",
            in.include_machine_name ? std::string("The local computer name, as asked.")
                                    : std::string("The local computer name: in the expanded topology Web Conferencing and A/V Conferencing servers are reached by their own FQDN."));
    }

    for (const auto& name : in.domain_names) add(name, "DomainName", "Added by the administrator.");
    for (const auto& name : out.names)
        if (auto warning = mixed_script_warning(name.name)) out.warnings.push_back(*warning);
    return out;
}

}  // namespace ocscert::names
