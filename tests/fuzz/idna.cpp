// IDNA (UTS #46 / IDNA2008 through libidn2): label splitting, U-label to A-label, and back for display.
#include "fuzz_support.hpp"
#include "names/idna.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ocscert;
    const std::string text = fuzz::bytes(data, size);
    fuzz::refuse_only_with_error([&] {
        for (const auto label : names::split_idna_labels(text)) {
            std::string problem;
            const auto ascii = names::to_ascii_label(label, problem);
            fuzz::require(ascii.has_value() != !problem.empty(), "a label is converted or refused with a reason, not both");
            if (!ascii) continue;
            for (unsigned char c : *ascii) fuzz::require(c < 0x80, "an A-label is ASCII");
            if (const auto unicode = names::to_unicode_label(*ascii)) {
                std::string again_problem;
                const auto again = names::to_ascii_label(*unicode, again_problem);
                fuzz::require(again && *again == *ascii, "the U-label shown for an A-label converts back to it");
            }
        }
    });
    fuzz::refuse_only_with_error([&] { names::to_unicode_label(text); });
    return 0;
}
