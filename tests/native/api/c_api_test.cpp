// The C ABI as a binding sees it: status codes, error objects, JSON, files on disk.
#include "ocscert/ocscert.h"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "../test_support.hpp"
#include "api/operations.hpp"

namespace {

using nlohmann::json;
using ocscert::testing::TempDir;

struct Result {
    int status;
    json output;
    std::string reason, field, message;
};

using Operation = int (*)(char**, ocscert_context*, const char*, ocscert_error**);

Result call(Operation op, ocscert_context* ctx, const std::string& input) {
    char* out = nullptr;
    ocscert_error* error = nullptr;
    Result r{op(&out, ctx, input.c_str(), &error), json(), "", "", ""};
    if (out) r.output = json::parse(out);
    if (error) {
        EXPECT_EQ(ocscert_error_code(error), r.status);
        r.reason = ocscert_error_reason(error);
        r.field = ocscert_error_field(error);
        r.message = ocscert_error_message(error);
    }
    ocscert_string_free(out);
    ocscert_error_free(error);
    return r;
}

struct Context {
    explicit Context(const std::filesystem::path& store) {
        const std::string options = json{{"storePath", store.string()}}.dump();
        EXPECT_EQ(ocscert_context_new(&ctx, options.c_str(), nullptr), OCSCERT_OK);
    }
    ~Context() { ocscert_context_free(ctx); }
    ocscert_context* ctx = nullptr;
};

json profile() {
    return {{"role", {"FrontEnd"}}, {"poolFqdn", "pool01.contoso.com"}, {"sipDomain", {"contoso.com"}}, {"automaticSignIn", true},
            {"organization", "Contoso"}, {"country", "US"}, {"state", "Washington"}, {"city", "Redmond"}, {"keyAlgorithm", "ECDSA_P256"}};
}

// The operation table (operations.hpp) as the C ABI exports it. Taking &ocscert_<name>
// here also proves that ocscert.h declares it and the shared library exports it.
struct TableEntry {
    std::string name;
    Operation function;
};
#define OCSCERT_TABLE_ENTRY(name) TableEntry{#name, &ocscert_##name},
const std::vector<TableEntry> table = {OCSCERT_OPERATIONS(OCSCERT_TABLE_ENTRY)};
#undef OCSCERT_TABLE_ENTRY

std::size_t request_count(ocscert_context* ctx) { return call(ocscert_request_list, ctx, "{}").output["requests"].size(); }

TEST(CApi, VersionIsTheProjectVersion) { EXPECT_STREQ(ocscert_version(), "0.1.0"); }

TEST(CApi, FreeFunctionsAcceptNull) {
    ocscert_string_free(nullptr);
    ocscert_error_free(nullptr);
    ocscert_context_free(nullptr);
    ocscert_context_cancel(nullptr);
    EXPECT_STREQ(ocscert_error_reason(nullptr), "");
}

TEST(CApi, NullArgumentsAreRefusedNotCrashed) {
    TempDir dir;
    Context c(dir.path());
    ocscert_error* error = nullptr;
    EXPECT_EQ(ocscert_request_list(nullptr, c.ctx, "{}", &error), OCSCERT_E_INVALID_ARGUMENT);
    EXPECT_STREQ(ocscert_error_reason(error), "NullArgument");
    ocscert_error_free(error);
    EXPECT_EQ(ocscert_context_new(nullptr, nullptr, nullptr), OCSCERT_E_INVALID_ARGUMENT);
}

TEST(CApi, MalformedJsonAndUnknownOptionsAreInvalidArguments) {
    ocscert_context* ctx = nullptr;
    ocscert_error* error = nullptr;
    EXPECT_EQ(ocscert_context_new(&ctx, "{not json", &error), OCSCERT_E_INVALID_ARGUMENT);
    EXPECT_STREQ(ocscert_error_reason(error), "InvalidJson");
    ocscert_error_free(error);
    EXPECT_EQ(ocscert_context_new(&ctx, R"({"storPath":"/tmp"})", &error), OCSCERT_E_INVALID_ARGUMENT);
    EXPECT_STREQ(ocscert_error_field(error), "storPath");
    ocscert_error_free(error);
    EXPECT_EQ(ocscert_context_new(&ctx, R"({"storePath":"relative/path"})", &error), OCSCERT_E_INVALID_ARGUMENT);
    ocscert_error_free(error);
    EXPECT_EQ(ctx, nullptr);

    TempDir dir;
    Context c(dir.path());
    auto r = call(ocscert_names_resolve, c.ctx, "[1,2]");
    EXPECT_EQ(r.status, OCSCERT_E_INVALID_ARGUMENT);
    EXPECT_EQ(r.reason, "InvalidJson");
}

TEST(CApi, EveryOperationOfTheTableRefusesBadInputWithAnError) {
    TempDir dir;
    Context c(dir.path());
    for (const auto& op : table) {
        SCOPED_TRACE(op.name);
        auto r = call(op.function, c.ctx, "[1]");
        EXPECT_EQ(r.status, OCSCERT_E_INVALID_ARGUMENT);
        EXPECT_EQ(r.reason, "InvalidJson");
        EXPECT_TRUE(r.output.is_null());
        char* out = nullptr;
        ocscert_error* error = nullptr;
        EXPECT_EQ(op.function(&out, nullptr, "{}", &error), OCSCERT_E_INVALID_ARGUMENT);
        EXPECT_STREQ(ocscert_error_reason(error), "NullArgument");
        ocscert_error_free(error);
        EXPECT_EQ(op.function(nullptr, c.ctx, "{}", nullptr), OCSCERT_E_INVALID_ARGUMENT);  // no error object asked for
        EXPECT_EQ(call(op.function, c.ctx, R"({"noSuchField":1})").reason, "UnknownField");
    }
}

// The other direction: every operation ocscert.h declares is in the table, so it is defined and exported.
TEST(CApi, TheHeaderDeclaresExactlyTheOperationsOfTheTable) {
    const auto header = std::filesystem::path(__FILE__).parent_path() / "../../../native/include/ocscert/ocscert.h";
    std::ifstream in(header);
    ASSERT_TRUE(in) << header;
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::regex declaration(R"(OCSCERT_API\s+int\s+ocscert_(\w+)\s*\(\s*char\s*\*\*\s*out_json\s*,\s*ocscert_context\s*\*)");
    std::set<std::string> declared, tabled;
    for (std::sregex_iterator it(text.begin(), text.end(), declaration), end; it != end; ++it) declared.insert((*it)[1]);
    for (const auto& op : table) tabled.insert(op.name);
    EXPECT_EQ(declared, tabled);
    EXPECT_FALSE(tabled.empty());
}

TEST(CApi, ErrorNamesTheFieldAndNothingIsStored) {
    TempDir dir;
    Context c(dir.path());
    auto input = profile();
    input["sipDomain"] = {"contoso.com", "*.fabrikam.com"};
    input["outFile"] = (dir.path() / "x.req").string();
    auto r = call(ocscert_request_new, c.ctx, input.dump());
    EXPECT_EQ(r.status, OCSCERT_E_INVALID_ARGUMENT);
    EXPECT_EQ(r.reason, "WildcardNotAllowed");
    EXPECT_EQ(r.field, "sipDomain[1]");
    EXPECT_NE(r.message.find("*.fabrikam.com"), std::string::npos);
    EXPECT_EQ(r.message.find('\n'), std::string::npos);
    EXPECT_EQ(request_count(c.ctx), 0u);
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "x.req"));
}

TEST(CApi, RequestFileIsAcceptedByTheOpensslCli) {
    TempDir dir;
    Context c(dir.path() / "store");
    for (const char* encoding : {"PEM", "DER"}) {
        auto input = profile();
        const auto file = dir.path() / (std::string("pool01-") + encoding + ".req");
        input["outFile"] = file.string();
        input["encoding"] = encoding;
        auto r = call(ocscert_request_new, c.ctx, input.dump());
        ASSERT_EQ(r.status, OCSCERT_OK) << r.message;
        EXPECT_EQ(r.output["outFile"], file.string());
        const std::string command = ocscert::testing::openssl_cli + " req -inform " + encoding + " -in \"" + file.string() +
                                    "\" -noout -verify > \"" + (dir.path() / "verify.txt").string() + "\" 2>&1";
        EXPECT_EQ(std::system(command.c_str()), 0);
        std::ifstream verify(dir.path() / "verify.txt");
        std::string text((std::istreambuf_iterator<char>(verify)), std::istreambuf_iterator<char>());
        EXPECT_NE(text.find("verify OK"), std::string::npos) << text;
    }
    EXPECT_EQ(request_count(c.ctx), 2u);
}

TEST(CApi, ExistingOutFileIsKeptUnlessForced) {
    TempDir dir;
    Context c(dir.path() / "store");
    const auto file = dir.path() / "pool01.req";
    std::ofstream(file) << "keep me";
    auto input = profile();
    input["outFile"] = file.string();
    auto r = call(ocscert_request_new, c.ctx, input.dump());
    EXPECT_EQ(r.status, OCSCERT_E_ALREADY_EXISTS);
    EXPECT_EQ(r.reason, "OutFileExists");
    EXPECT_EQ(request_count(c.ctx), 0u);
    input["force"] = true;
    EXPECT_EQ(call(ocscert_request_new, c.ctx, input.dump()).status, OCSCERT_OK);
    std::ifstream in(file);
    std::string first;
    std::getline(in, first);
    EXPECT_EQ(first, "-----BEGIN CERTIFICATE REQUEST-----");
}

TEST(CApi, ValidateOnlyWritesNothing) {
    TempDir dir;
    Context c(dir.path() / "store");
    auto input = profile();
    input["validateOnly"] = true;
    input["outFile"] = (dir.path() / "x.req").string();
    auto r = call(ocscert_request_new, c.ctx, input.dump());
    ASSERT_EQ(r.status, OCSCERT_OK);
    EXPECT_EQ(r.output["names"].size(), 2u);
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "store"));
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "x.req"));
}

void on_progress(void* user, const char* json_text) {
    static_cast<std::vector<json>*>(user)->push_back(json::parse(json_text));
}

TEST(CApi, ProgressIsReportedAndCancellationLeavesNothingBehind) {
    TempDir dir;
    Context c(dir.path());
    std::vector<json> reports;
    ocscert_context_set_progress(c.ctx, on_progress, &reports);
    ASSERT_EQ(call(ocscert_request_new, c.ctx, profile().dump()).status, OCSCERT_OK);
    ASSERT_GE(reports.size(), 2u);
    EXPECT_EQ(reports.front()["activity"], "Generating the private key");

    ocscert_context_cancel(c.ctx);
    auto r = call(ocscert_request_new, c.ctx, profile().dump());
    EXPECT_EQ(r.status, OCSCERT_E_CANCELLED);
    EXPECT_EQ(request_count(c.ctx), 1u);
    ocscert_context_reset_cancel(c.ctx);
    EXPECT_EQ(call(ocscert_request_new, c.ctx, profile().dump()).status, OCSCERT_OK);
    ocscert_context_set_progress(c.ctx, nullptr, nullptr);
}

TEST(CApi, ListGetAndRemove) {
    TempDir dir;
    Context c(dir.path());
    auto created = call(ocscert_request_new, c.ctx, profile().dump()).output;
    const std::string id = created["id"];
    EXPECT_EQ(created["state"], "Pending");
    EXPECT_EQ(created["privateKeyExportable"], false);
    EXPECT_EQ(created.count("privateKey"), 0u);  // the key never leaves the store through the API

    auto one = call(ocscert_request_list, c.ctx, json{{"id", id}}.dump());
    ASSERT_EQ(one.status, OCSCERT_OK);
    EXPECT_EQ(one.output["requests"][0]["publicKeySha256"], created["publicKeySha256"]);
    EXPECT_EQ(one.output["requests"][0]["profile"]["poolFqdn"], "pool01.contoso.com");

    EXPECT_EQ(call(ocscert_request_remove, c.ctx, json{{"id", id}}.dump()).status, OCSCERT_OK);
    auto gone = call(ocscert_request_remove, c.ctx, json{{"id", id}}.dump());
    EXPECT_EQ(gone.status, OCSCERT_E_NOT_FOUND);
    EXPECT_EQ(gone.reason, "RequestNotFound");
    // An id that tries to leave the store folder is simply not found.
    EXPECT_EQ(call(ocscert_request_remove, c.ctx, R"({"id":"../../etc"})").status, OCSCERT_E_NOT_FOUND);
}

TEST(CApi, OneContextServesSeveralThreads) {
    TempDir dir;
    Context c(dir.path());
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 3; ++i)
                if (call(ocscert_request_new, c.ctx, profile().dump()).status == OCSCERT_OK) ++ok;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok, 12);
    EXPECT_EQ(request_count(c.ctx), 12u);
}

}  // namespace
