// The pending request store under crashes and concurrent writers. A crash is
// simulated with the platform's crash points: a child process ends at once
// at the named point, exactly as if killed, and the parent inspects the store.
#include "store/request_store.hpp"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "../child_process.hpp"
#include "../test_support.hpp"
#include "ocscert/ocscert.h"
#include "platform/platform.hpp"

namespace ocscert::store {
namespace {

using nlohmann::json;
using ocscert::testing::catch_error;
using ocscert::testing::TempDir;

const crypto::Secret& test_key() {
    static const crypto::Secret key("-----BEGIN PRIVATE KEY-----\ntest\n-----END PRIVATE KEY-----\n");
    return key;
}

RequestRecord record(const std::string& id) {
    RequestRecord r;
    r.id = id;
    r.created = "2026-01-01T00:00:00Z";
    return r;
}

void add(RequestStore& store, const std::string& id) {
    store.add({record(id), &test_key(), "request"}, [] {});
}

// Where the file backend keeps a request's key.
fs::path key_file(const fs::path& root, const std::string& id) { return root / "requests" / id / "key.pem"; }

// Everything in requests/: the names, hidden ones included.
std::vector<std::string> entries(const fs::path& root) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root / "requests", ec)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

using testing::run_until_crash;

// What the child processes do to the store at args[0] (testing::run_until_crash);
// a record travels as its JSON.
const testing::ChildOp add_op("request_store.add", [](const std::vector<std::string>& args) {
    RequestStore store(args.at(0));
    for (std::size_t i = 1; i < args.size(); ++i) add(store, args[i]);
    return 0;
});
const testing::ChildOp update_op("request_store.update", [](const std::vector<std::string>& args) {
    RequestStore(args.at(0)).update(json::parse(args.at(1)).get<RequestRecord>());
    return 0;
});
const testing::ChildOp remove_op("request_store.remove", [](const std::vector<std::string>& args) {
    RequestStore(args.at(0)).remove(args.at(1));
    return 0;
});
// Adds args[1..] from two threads.
const testing::ChildOp add_from_two_threads_op("request_store.add-from-two-threads", [](const std::vector<std::string>& args) {
    RequestStore store(args.at(0));
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 2; ++t)
        threads.emplace_back([&, t] {
            for (std::size_t i = 1 + t; i < args.size(); i += 2) add(store, args[i]);
        });
    for (auto& t : threads) t.join();
    return 0;
});

TEST(RequestStore, AddListGetRemove) {
    TempDir dir;
    RequestStore store(dir.path());
    add(store, "0000000a");
    add(store, "0000000b");
    ASSERT_EQ(store.list().size(), 2u);
    EXPECT_EQ(store.get("0000000a").id, "0000000a");
    OCSCERT_EXPECT_OWNER_ONLY(key_file(dir.path(), "0000000a"));
    EXPECT_EQ(store.key_pem("0000000a").bytes(), test_key().bytes());
    OCSCERT_EXPECT_OWNER_ONLY(dir.path() / "requests");
    store.remove("0000000a");
    EXPECT_EQ(store.list().size(), 1u);
    EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"0000000b"}));
}

TEST(RequestStore, ListLeavesOutWhatCannotBeReadAndSaysWhy) {
    TempDir dir;
    RequestStore store(dir.path());
    for (const char* id : {"0000000a", "0000000b", "0000000c"}) add(store, id);
    std::ofstream(dir.path() / "requests" / "0000000a" / "request.json", std::ios::trunc) << "garbage";
    fs::remove(dir.path() / "requests" / "0000000c" / "request.json");

    std::vector<UnreadableEntry> unreadable;
    const auto listed = store.list(&unreadable);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].id, "0000000b");
    ASSERT_EQ(unreadable.size(), 2u);
    std::sort(unreadable.begin(), unreadable.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    EXPECT_EQ(unreadable[0].name, "0000000a");
    EXPECT_EQ(unreadable[0].file, "requests/0000000a/request.json");
    EXPECT_EQ(unreadable[0].reason.rfind("it is not JSON (parse error", 0), 0u) << unreadable[0].reason;
    EXPECT_EQ(unreadable[1].file, "requests/0000000c/request.json");
    EXPECT_EQ(unreadable[1].reason, "the file is missing");
    EXPECT_EQ(store.list().size(), 1u);  // not asked why: the same list
    EXPECT_EQ(catch_error([&] { store.get("0000000a"); }).reason(), "RequestUnreadable");
    EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"0000000a", "0000000b", "0000000c"}));  // nothing repaired or removed
}

TEST(RequestStore, NewIdsAreUniqueAndSafe) {
    TempDir dir;
    RequestStore store(dir.path());
    const auto id = store.new_id();
    EXPECT_TRUE(is_valid_id(id));
    EXPECT_FALSE(is_valid_id("../x"));
    EXPECT_FALSE(is_valid_id(".staging-0000000a"));
}

TEST(RequestStore, AFailingCommitHookAddsNothing) {
    TempDir dir;
    RequestStore store(dir.path());
    EXPECT_THROW(store.add({record("0000000c"), &test_key(), "r"}, [] { throw std::runtime_error("disk full"); }),
                 std::runtime_error);
    EXPECT_TRUE(store.list().empty());
    EXPECT_TRUE(entries(dir.path()).empty());
}

// A crash at every point of an add: before the commit the request does not
// exist for readers; after it, it exists whole. The next writer sweeps leftovers.
TEST(RequestStore, KillDuringAddLeavesTheStoreBeforeOrAfter) {
    struct Case {
        const char* point;
        bool visible_after;
    };
    for (const Case c : {Case{"request.after-key", false}, Case{"request.before-commit", false}, Case{"request.after-commit", true}}) {
        SCOPED_TRACE(c.point);
        TempDir dir;
        RequestStore store(dir.path());
        add(store, "00000001");
        EXPECT_EQ(run_until_crash(c.point, "request_store.add", {dir.path().string(), "00000002"}), 86);
        const auto listed = store.list();
        ASSERT_EQ(listed.size(), c.visible_after ? 2u : 1u);
        if (c.visible_after) {
            EXPECT_TRUE(fs::exists(key_file(dir.path(), "00000002")));
            EXPECT_EQ(store.get("00000002").id, "00000002");
        }
        add(store, "00000003");  // sweeps what the crash left
        for (const auto& name : entries(dir.path())) EXPECT_TRUE(is_valid_id(name)) << name;
    }
}

// What a CA said is written over the record in one step: a kill before the
// replace leaves the old record whole, and the next update clears the leftover.
TEST(RequestStore, KillDuringUpdateKeepsTheOldRecordWhole) {
    TempDir dir;
    RequestStore store(dir.path());
    add(store, "00000001");
    RequestRecord submitted = store.get("00000001");
    submitted.state = "Submitted";
    EXPECT_EQ(run_until_crash("request.update.before-replace", "request_store.update", {dir.path().string(), json(submitted).dump()}), 86);
    EXPECT_EQ(store.get("00000001").state, "Pending");
    EXPECT_TRUE(fs::exists(dir.path() / "requests" / "00000001" / "request.json.new")) << "the crash left the staged record";
    store.update(submitted);
    EXPECT_EQ(store.get("00000001").state, "Submitted");
    EXPECT_FALSE(fs::exists(dir.path() / "requests" / "00000001" / "request.json.new"));
    EXPECT_TRUE(fs::exists(key_file(dir.path(), "00000001"))) << "the key is untouched";
    submitted.id = "0000000f";
    EXPECT_THROW(store.update(submitted), Error);
}

TEST(RequestStore, KillDuringRemoveLeavesTheRequestGone) {
    TempDir dir;
    RequestStore store(dir.path());
    add(store, "00000001");
    EXPECT_EQ(run_until_crash("request.remove.after-rename", "request_store.remove", {dir.path().string(), "00000001"}), 86);
    EXPECT_TRUE(store.list().empty());
    EXPECT_THROW(store.get("00000001"), Error);
    add(store, "00000002");
    EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"00000002"}));
}

// A killed writer's lock dies with it: the next writer is not blocked.
TEST(RequestStore, LockIsReleasedWhenTheHolderDies) {
    TempDir dir;
    RequestStore store(dir.path());
    EXPECT_EQ(run_until_crash("request.before-commit", "request_store.add", {dir.path().string(), "00000001"}), 86);
    const auto start = std::chrono::steady_clock::now();
    add(store, "00000002");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(RequestStore, ConcurrentWritersInSeveralProcessesLoseNothing) {
    TempDir dir;
    constexpr int processes = 3, per_process = 8;
    std::vector<testing::ChildRun> children;
    for (int p = 0; p < processes; ++p) {
        std::vector<std::string> args{dir.path().string()};
        for (int i = 0; i < per_process; ++i) {
            char id[9];
            std::snprintf(id, sizeof id, "%02x%06x", p, i);
            args.push_back(id);
        }
        children.emplace_back("request_store.add-from-two-threads", args);
    }
    for (auto& child : children) EXPECT_EQ(child.wait(), 0);
    RequestStore store(dir.path());
    EXPECT_EQ(store.list().size(), static_cast<std::size_t>(processes * per_process));
    for (const auto& name : entries(dir.path())) EXPECT_TRUE(is_valid_id(name)) << name;
}

TEST(RequestStore, WriterWaitsForTheLockThenGivesUpWithBusy) {
    TempDir dir;
    platform::create_private_directories(dir.path());
    platform::FileLock held(dir.path() / ".lock", std::chrono::seconds(1));
    try {
        platform::FileLock second(dir.path() / ".lock", std::chrono::milliseconds(100));
        ADD_FAILURE() << "a second lock was granted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), OCSCERT_E_BUSY);
    }
}

// A held lock is tried again soon, then less often: a writer holds it for a few ms, and orders at
// once in one process (several roles) wait for each other's writes.
TEST(RequestStore, AWriterWaitingForTheLockTriesAgainAfter1MsDoublingTo16) {
    using std::chrono::milliseconds;
    EXPECT_EQ(platform::lock_retry_pause(0), milliseconds(1));
    EXPECT_EQ(platform::lock_retry_pause(1), milliseconds(2));
    EXPECT_EQ(platform::lock_retry_pause(3), milliseconds(8));
    EXPECT_EQ(platform::lock_retry_pause(4), milliseconds(16));
    EXPECT_EQ(platform::lock_retry_pause(1000), milliseconds(16));
}

}  // namespace
}  // namespace ocscert::store
