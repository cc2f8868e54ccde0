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

// A file given as the store is refused by every operation, not read as an empty store (or made into one).
TEST(CApi, EveryOperationRefusesAStorePathThatIsAFile) {
    TempDir dir;
    const auto file = dir.path() / "ocs.pem";
    std::ofstream(file) << "not a store";
    for (const auto& store : {file, file / "below"}) {
        SCOPED_TRACE(store.string());
        ocscert_context* ctx = nullptr;
        ASSERT_EQ(ocscert_context_new(&ctx, json{{"storePath", store.string()}}.dump().c_str(), nullptr), OCSCERT_OK);
        for (const auto& op : table) {
            SCOPED_TRACE(op.name);
            const auto r = call(op.function, ctx, "{}");
            EXPECT_EQ(r.status, OCSCERT_E_INVALID_ARGUMENT);
            EXPECT_EQ(r.reason, "StoreNotAFolder");
            EXPECT_EQ(r.field, "storePath");
            EXPECT_NE(r.message.find("'" + store.string() + "'"), std::string::npos) << r.message;
            EXPECT_NE(r.message.find("a file, not a folder"), std::string::npos) << r.message;
            EXPECT_NE(r.message.find("give a folder"), std::string::npos) << r.message;
        }
        ocscert_context_free(ctx);
    }
    EXPECT_EQ(ocscert::testing::read_file(file), "not a store");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()), 1);
}

// A store folder that does not exist lists nothing, as a fresh machine's default store does, with a
// warning that names it, so a mistyped path does not pass for an empty store; nothing is created.
TEST(CApi, ListingAStoreThatDoesNotExistWarnsAndCreatesNothing) {
    TempDir dir;
    const auto missing = dir.path() / "typo-store";
    Context c(missing);
    const std::string warning = "The store '" + missing.string() + "' does not exist; it holds no ";
    const struct {
        Operation op;
        const char* list;
        const char* holds;
    } listings[] = {{ocscert_certificate_list, "certificates", "certificates."},
                    {ocscert_request_list, "requests", "requests."},
                    {ocscert_binding_list, "bindings", "role bindings."},
                    {ocscert_renewal_registration, nullptr, "renewal job."}};
    for (const auto& listing : listings) {
        SCOPED_TRACE(listing.holds);
        const auto r = call(listing.op, c.ctx, "{}");
        ASSERT_EQ(r.status, OCSCERT_OK) << r.message;
        if (listing.list) {
            EXPECT_EQ(r.output[listing.list], json::array());
        }
        EXPECT_EQ(r.output["warnings"], json::array({warning + listing.holds}));
    }
    EXPECT_FALSE(std::filesystem::exists(missing));

    // The same store once it exists: no warning.
    std::filesystem::create_directory(missing);
    for (const auto& listing : listings) EXPECT_EQ(call(listing.op, c.ctx, "{}").output["warnings"], json::array()) << listing.holds;
}

// A request whose record is damaged is left out with a warning naming it; the others are still
// listed, and nothing is repaired or removed.
TEST(CApi, AnUnreadableRequestIsLeftOutWithAWarningAndTheOthersListed) {
    TempDir dir;
    Context c(dir.path());
    const std::string damaged = call(ocscert_request_new, c.ctx, profile().dump()).output["id"];
    const std::string intact = call(ocscert_request_new, c.ctx, profile().dump()).output["id"];
    const auto record = dir.path() / "requests" / damaged / "request.json";
    std::ofstream(record, std::ios::trunc) << "garbage";

    const auto r = call(ocscert_request_list, c.ctx, "{}");
    ASSERT_EQ(r.status, OCSCERT_OK) << r.message;
    ASSERT_EQ(r.output["requests"].size(), 1u);
    EXPECT_EQ(r.output["requests"][0]["id"], intact);
    ASSERT_EQ(r.output["warnings"].size(), 1u);
    const std::string warning = r.output["warnings"][0];
    EXPECT_EQ(warning.rfind("requests/" + damaged + "/request.json cannot be read: it is not JSON (", 0), 0u) << warning;
    EXPECT_NE(warning.find("; the request is left out of this list"), std::string::npos) << warning;

    // Asked for by its id, it is an error that says why, not "no such request".
    const auto one = call(ocscert_request_list, c.ctx, json{{"id", damaged}}.dump());
    EXPECT_EQ(one.status, OCSCERT_E_IO);
    EXPECT_EQ(one.reason, "RequestUnreadable");
    EXPECT_EQ(one.field, "id");
    EXPECT_NE(one.message.find("requests/" + damaged + "/request.json cannot be read"), std::string::npos) << one.message;
    EXPECT_EQ(ocscert::testing::read_file(record), "garbage");
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "requests" / damaged / "key.pem"));
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
