#include "names/dns_name.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "names/idna.hpp"

namespace ocscert::names {

namespace {

constexpr std::size_t max_label = 63;
constexpr std::size_t max_name = 253;

bool is_ldh(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

bool is_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

std::string describe_char(char c) {
    if (c == ' ') return "a space";
    if (static_cast<unsigned char>(c) < 0x20) return "a control character";
    return std::string("'") + c + "'";
}

// A name of the kind the field holds: a machine is not called pool01, a SIP domain is the domain itself.
std::string example_for(const std::string& field) {
    if (field.rfind("machineFqdn", 0) == 0 || field == "fqdn") return "fe01.contoso.com";  // "fqdn": a pool member's
    if (field.rfind("sipDomain", 0) == 0) return "contoso.com";
    return "pool01.contoso.com";
}

}  // namespace

std::string normalize_dns_name(std::string_view value, const std::string& field) {
    const std::string shown = text::quote(value);
    const std::string example = example_for(field);
    const std::string accepted = " A DNS name has labels of letters, digits and hyphens separated by dots, e.g. " + example + ".";
    const std::string accepted_idn = " International names are accepted as UTS #46 maps them (e.g. Bücher.contoso.com becomes xn--bcher-kva.contoso.com).";
    if (value.empty()) invalid(field, "RequiredField", "The name is empty; leave it out, or give one." + accepted);
    if (value.find('*') != std::string_view::npos)
        invalid(field, "WildcardNotAllowed",
                shown + " is a wildcard name. OCS services fail to start with wildcard certificates; list every name explicitly.");
    // However it is spelt, a longer input cannot shrink to 253 characters; it is not worth mapping.
    if (value.size() > 4 * max_name)
        invalid(field, "InvalidDnsName", shown + " is " + std::to_string(value.size()) + " bytes long; a name has at most 253 characters.");

    std::string out;
    // UTS #46 separates labels by '.' and the ideographic and fullwidth full stops alike.
    auto labels = split_idna_labels(value);
    if (labels.size() > 1 && labels.back().empty()) labels.pop_back();  // an absolute name's root dot is not part of a certificate name
    for (std::string_view raw : labels) {
        if (raw.empty()) invalid(field, "InvalidDnsName", shown + " has an empty label (two dots in a row, or a leading dot)." + accepted);
        std::string problem;
        auto label = to_ascii_label(raw, problem);
        if (!label) invalid(field, "InvalidDnsName", shown + " " + problem + "." + accepted + (is_ascii(raw) ? "" : accepted_idn));
        if (label->empty())
            invalid(field, "InvalidDnsName",
                    shown + " has a label made only of characters that international names ignore (such as U+00AD soft hyphen)." + accepted);
        for (char c : *label)
            if (!is_ldh(c)) invalid(field, "InvalidDnsName", shown + " contains " + describe_char(c) + "." + accepted);
        if (label->size() > max_label)
            invalid(field, "InvalidDnsName",
                    shown + " has a label of " + std::to_string(label->size()) + " characters" +
                        (label->rfind("xn--", 0) == 0 ? " once encoded as an A-label" : "") + "; at most 63 are allowed.");
        if (label->front() == '-' || label->back() == '-')
            invalid(field, "InvalidDnsName", shown + " has a label that begins or ends with a hyphen." + accepted);
        if (!out.empty()) out += '.';
        out += *label;
    }
    if (out.size() > max_name)
        invalid(field, "InvalidDnsName", shown + " is " + std::to_string(out.size()) + " characters long; at most 253 are allowed.");
    if (labels.size() < 2)
        invalid(field, "NotFullyQualified", shown + " is not fully qualified; give the full name, e.g. " + example + ".");
    if (out.find_first_not_of("0123456789", out.rfind('.') + 1) == std::string::npos)
        invalid(field, "InvalidDnsName", shown + " looks like an IP address; certificates for OCS pools name hosts by DNS name.");
    return out;
}

}  // namespace ocscert::names
