#include "ca/acme/acme_client.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "ca/acme/acme_jws.hpp"
#include "ca/acme/acme_messages.hpp"
#include "ca/acme/http01_listener.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "platform/platform.hpp"
#include "store/acme_accounts.hpp"

namespace ocscert::ca::acme {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

constexpr std::chrono::seconds validation_wait{60};

// Waits, still answering to cancellation.
void pause(std::chrono::milliseconds duration, Progress& progress) {
    const auto end = Clock::now() + duration;
    while (Clock::now() < end) {
        progress.throw_if_cancelled();
        std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(100), end - Clock::now()));
    }
}

// What this process has learnt about each CA, by directory URL: its directory (a CA's endpoints do not
// move while it runs), the account URL of each account key that has opened its account there (so a
// later conversation signs with it at once instead of asking newAccount again), and the nonce the last
// conversation was left with (so the next need not ask newNonce; a stale one costs only the badNonce
// retry that would be made anyway). An entry is dropped when a conversation that used it fails, so the
// next one asks afresh.
class CaCache {
public:
    std::optional<Directory> directory(const std::string& url) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = entries_.find(url);
        if (it == entries_.end()) return std::nullopt;
        return it->second.directory;
    }
    void keep_directory(const std::string& url, const Directory& directory) {
        std::lock_guard<std::mutex> lock(mutex_);
        entry(url).directory = directory;
    }
    std::string account(const std::string& url, const std::string& key_thumbprint) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = entries_.find(url);
        if (it == entries_.end()) return "";
        const auto found = it->second.accounts.find(key_thumbprint);
        return found == it->second.accounts.end() ? "" : found->second;
    }
    void keep_account(const std::string& url, const std::string& key_thumbprint, const std::string& account_url) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto& accounts = entry(url).accounts;
        if (accounts.size() > 64) accounts.clear();
        accounts[key_thumbprint] = account_url;
    }
    void forget_account(const std::string& url, const std::string& key_thumbprint) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = entries_.find(url);
        if (it != entries_.end()) it->second.accounts.erase(key_thumbprint);
    }
    // The spare nonce, if any; each is handed out once.
    std::string take_nonce(const std::string& url) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = entries_.find(url);
        if (it == entries_.end()) return "";
        return std::exchange(it->second.nonce, std::string());
    }
    void keep_nonce(const std::string& url, const std::string& nonce) {
        if (nonce.empty()) return;
        std::lock_guard<std::mutex> lock(mutex_);
        entry(url).nonce = nonce;
    }
    void drop(const std::string& url) {
        std::lock_guard<std::mutex> lock(mutex_);
        entries_.erase(url);
    }

private:
    struct Entry {
        std::optional<Directory> directory;
        std::map<std::string, std::string> accounts;  // key thumbprint -> account URL
        std::string nonce;
    };
    Entry& entry(const std::string& url) {
        if (entries_.size() > 64 && entries_.find(url) == entries_.end()) entries_.clear();
        return entries_[url];
    }
    std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

CaCache& known_cas() {
    static CaCache cache;
    return cache;
}

// Orders at once that share an account key open its account once: the others wait and take the URL the
// first one got, instead of asking newAccount together (Pebble answered such a race "Error saving
// account", and a real CA is asked once instead of several times). Held only while an account is opened.
std::mutex& account_opening() {
    static std::mutex mutex;
    return mutex;
}

class Session {
public:
    Session(const Options& options, Progress& progress) : options_(options), progress_(progress), http_(options.http) {}
    // The nonce left over is the next conversation's (a failed one drops it with the rest; see converse).
    ~Session() { known_cas().keep_nonce(options_.directory_url, nonce_); }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Directory, first nonce and account: what every conversation with the CA starts with.
    // A poll looks up the existing account only (RFC 8555 section 7.3.1), so it needs no EAB.
    void start(bool existing_account = false) {
        progress_.report("Contacting the ACME CA", "Reading the directory at " + transport::url_host(options_.directory_url), 5);
        if (auto known = known_cas().directory(options_.directory_url)) {
            directory_ = std::move(*known);
            nonce_ = known_cas().take_nonce(options_.directory_url);
        } else {
            const auto response = http_.get(options_.directory_url);
            if (response.status != 200)
                bad_response("the directory " + options_.directory_url + " answered HTTP " + std::to_string(response.status));
            directory_ = read_directory(response.body);
            known_cas().keep_directory(options_.directory_url, directory_);
        }
        key_ = store::acme_account_key(options_.store_root, options_.directory_url);
        thumbprint_ = jws::jwk_thumbprint(key_.get());
        progress_.report("Contacting the ACME CA", "Opening the account", 10);
        {
            std::lock_guard<std::mutex> opening(account_opening());
            account_url_ = known_cas().account(options_.directory_url, thumbprint_);
            if (account_url_.empty()) open_account(existing_account);
            else account_cached_ = true;
        }
        existing_account_ = existing_account;
    }

    // A signed POST; badNonce is retried with the nonce the error brought, 503 after its Retry-After.
    transport::HttpResponse post(const std::string& url, const std::optional<json>& payload) {
        for (int attempt = 0;; ++attempt) {
            // Every exchange is a point to stop at, whether or not the transport was given the progress too
            // (with no pause between exchanges any more, nothing else would notice in time).
            progress_.throw_if_cancelled();
            if (nonce_.empty()) fetch_nonce();
            json header = {{"nonce", nonce_}, {"url", url}};
            if (account_url_.empty()) header["jwk"] = jws::jwk(key_.get());
            else header["kid"] = account_url_;
            nonce_.clear();
            const json body = jws::sign_es256(key_.get(), header, payload ? payload->dump() : "");
            auto response = http_.post(url, body.dump(), "application/jose+json");
            if (const auto* next = response.header("replay-nonce")) nonce_ = *next;
            if (response.status >= 200 && response.status < 300) return response;
            const Problem problem = read_problem(response.status, response.body);
            const auto delay = transport::retry_after(response);
            if (problem.type == "badNonce" && attempt < 10) {
                ++retries_;
                continue;
            }
            // An account URL this process remembered that the CA no longer takes (it was deactivated, or the
            // CA started afresh): the account is opened as at first, once, and the request made again.
            if (account_cached_ && (problem.type == "accountDoesNotExist" || problem.type == "unauthorized")) {
                account_cached_ = false;
                known_cas().forget_account(options_.directory_url, thumbprint_);
                account_url_.clear();
                {
                    std::lock_guard<std::mutex> opening(account_opening());
                    account_url_ = known_cas().account(options_.directory_url, thumbprint_);  // another order opened it again just now
                    if (account_url_.empty()) open_account(existing_account_);
                }
                continue;
            }
            if (response.status == 503 && delay && attempt < 5 && Clock::now() + *delay < deadline_) {
                ++retries_;
                pause(*delay, progress_);
                continue;
            }
            if (problem.type == "rateLimited")
                throw Error(OCSCERT_E_NETWORK, "CaRateLimited", "ca",
                            "The CA's rate limit was reached: " + ca_words(problem.detail) +
                                (delay ? " It asks to wait " + std::to_string(delay->count()) + " s." : "") + " The request is kept; submit it again later.");
            throw problem;
        }
    }

    transport::HttpResponse post_as_get(const std::string& url) { return post(url, std::nullopt); }

    const Directory& directory() const { return directory_; }
    const std::string& thumbprint() const { return thumbprint_; }
    int retries() const { return retries_; }
    void set_deadline(Clock::time_point deadline) { deadline_ = deadline; }
    Clock::time_point deadline() const { return deadline_; }
    Progress& progress() { return progress_; }
    const Options& options() const { return options_; }

private:
    void fetch_nonce() {
        const auto response = http_.head(directory_.new_nonce);
        const auto* nonce = response.header("replay-nonce");
        if (!nonce || nonce->empty()) bad_response("newNonce gave no Replay-Nonce (HTTP " + std::to_string(response.status) + ")");
        nonce_ = *nonce;
    }

    void open_account(bool existing) {
        const std::string& new_account = directory_.new_account;
        json payload = {{"termsOfServiceAgreed", true}};
        if (existing) payload = {{"onlyReturnExisting", true}};
        if (!options_.contact.empty() && !existing) payload["contact"] = json::array({"mailto:" + options_.contact});
        if (options_.eab_mac_key && !existing)
            payload["externalAccountBinding"] = jws::external_account_binding(key_.get(), options_.eab_key_id, *options_.eab_mac_key, new_account);
        transport::HttpResponse response;
        try {
            response = post(new_account, payload);
        } catch (const Problem& problem) {
            if (existing && problem.type == "accountDoesNotExist")
                throw Error(OCSCERT_E_NOT_FOUND, "AccountNotFound", "ca",
                            "The CA no longer knows this server's ACME account, so the order cannot be collected; submit the request again.");
            if (problem.type == "externalAccountRequired")
                throw Error(OCSCERT_E_INVALID_ARGUMENT, "ExternalAccountRequired", "credential",
                            "The CA requires external account binding: give -Credential with the key id as user name and the HMAC key as password.");
            if (options_.eab_mac_key && (problem.type == "unauthorized" || problem.type == "malformed"))
                throw Error(OCSCERT_E_INVALID_ARGUMENT, "ExternalAccountRejected", "credential",
                            "The CA refused the external account binding for key id " + text::quote(options_.eab_key_id) + ": " + ca_words(problem.detail));
            throw;
        }
        const auto* location = response.header("location");
        if (!location || location->empty()) bad_response("newAccount gave no account URL");
        const std::string status = read_account_status(response.body);
        if (status != "valid")
            throw Error(OCSCERT_E_NETWORK, "AccountNotValid", "ca", "The CA says this server's ACME account is " + ca_words(status.empty() ? "?" : status) + ".");
        account_url_ = *location;
        known_cas().keep_account(options_.directory_url, thumbprint_, account_url_);
    }

    const Options& options_;
    Progress& progress_;
    transport::HttpClient http_;
    Directory directory_;
    crypto::Ptr<EVP_PKEY> key_;
    std::string thumbprint_, nonce_, account_url_;
    bool account_cached_ = false, existing_account_ = false;
    int retries_ = 0;
    Clock::time_point deadline_ = Clock::now() + std::chrono::hours(1);
};

// The listener of the orders this process has under way on `address`: several orders at once (several
// roles, several requests) share one, as they could not each bind the address. It closes with the last
// of them; a new one on the same address waits until it has (the deleter holds the lock).
std::shared_ptr<Http01Listener> order_listener(const std::string& address) {
    static std::mutex mutex;
    static std::map<std::string, std::weak_ptr<Http01Listener>> open;
    std::lock_guard<std::mutex> lock(mutex);
    if (auto listener = open[address].lock()) return listener;
    std::shared_ptr<Http01Listener> listener(new Http01Listener(address, "httpListener"), [](Http01Listener* closing) {
        std::lock_guard<std::mutex> closed(mutex);
        delete closing;
    });
    open[address] = listener;
    return listener;
}

// Answers challenges for as long as it lives; withdraws every answer (files, DNS records) when destroyed.
class Responder {
public:
    explicit Responder(const ChallengeOptions& options) : options_(options) {
        if (options.http_listener.empty()) return;
        // A standing listener on that address (a pool-wide request) answers for this order too; else the
        // listener of this process's orders there.
        listener_ = standing_listener(options.http_listener);
        if (!listener_) listener_ = order_listener(options.http_listener);
    }
    ~Responder() {
        if (listener_)
            for (const auto& token : tokens_) listener_->withdraw(token);
        for (const auto& [name, value] : dns_records_) {
            try {
                platform::run_program(options_.dns_hook, {"remove", name, value}, std::chrono::seconds(60), "dnsHook");
            } catch (const Error&) {
                // The record only lingers; the next order gets a new one.
            }
        }
        std::error_code ec;
        for (const auto& file : files_) fs::remove(file, ec);
    }
    Responder(const Responder&) = delete;
    Responder& operator=(const Responder&) = delete;

    std::string type() const { return options_.dns_hook.empty() ? "http-01" : "dns-01"; }

    void answer(const std::string& name, const std::string& token, const std::string& key_authorization) {
        if (!options_.dns_hook.empty()) {
            unsigned char digest[32];
            unsigned int size = 0;
            EVP_Digest(key_authorization.data(), key_authorization.size(), digest, &size, EVP_sha256(), nullptr);
            const std::string record = "_acme-challenge." + name;
            const std::string value = jws::base64url(std::string_view(reinterpret_cast<char*>(digest), size));
            const int code = platform::run_program(options_.dns_hook, {"add", record, value}, std::chrono::seconds(300), "dnsHook");
            if (code != 0)
                throw Error(OCSCERT_E_INVALID_ARGUMENT, "DnsHookFailed", "dnsHook",
                            "The DNS hook failed (exit code " + std::to_string(code) + ") adding the TXT record " + record + ".");
            dns_records_.emplace_back(record, value);
        } else if (listener_) {
            listener_->serve(token, key_authorization);
            tokens_.push_back(token);
        } else {
            const fs::path folder = options_.web_root / ".well-known" / "acme-challenge";
            std::error_code ec;
            fs::create_directories(folder, ec);
            const fs::path file = folder / token;
            std::ofstream out(file, std::ios::binary | std::ios::trunc);
            out << key_authorization;
            out.close();
            if (!out)
                throw Error(OCSCERT_E_IO, "WebRootNotWritable", "webRoot", "Could not write the challenge answer under " + text::quote(folder.u8string()) + ".");
            files_.push_back(file);
        }
    }

private:
    const ChallengeOptions& options_;
    std::shared_ptr<Http01Listener> listener_;
    std::vector<std::string> tokens_;
    std::vector<std::pair<std::string, std::string>> dns_records_;
    std::vector<fs::path> files_;
};

// The pause before asking again about an object the CA said was not ready: its Retry-After when it gave one;
// otherwise none before the first question (after answering a challenge or finalizing), then 25 ms doubling up to
// 3.2 s: a CA that is a few ms from done (Pebble, about half the time) is asked again after 25 ms rather than 50,
// at the cost of at most one more question per order.
// Only "pending" or "processing" answers come here, so a CA that works at once is never waited for.
std::chrono::milliseconds poll_delay(const transport::HttpResponse& response, int not_yet) {
    if (const auto asked = transport::retry_after(response)) return std::min<std::chrono::milliseconds>(*asked, std::chrono::seconds(60));
    if (not_yet <= 0) return std::chrono::milliseconds(0);
    return std::chrono::milliseconds(25 << std::min(not_yet - 1, 7));
}

std::string challenge_hint(const std::string& type, const std::string& name) {
    if (type == "dns-01") return " Check that the DNS hook publishes _acme-challenge." + name + " where the CA looks it up.";
    return " The CA fetched http://" + name + "/.well-known/acme-challenge/...: " + name +
           " must resolve to this server and port 80 must reach the listener (or the web root).";
}

// Answers every pending authorization of the order and waits until all are valid.
void authorize(Session& session, const Order& order) {
    if (!order.authorizations) bad_response("the order lists no authorizations");
    Responder responder(session.options().challenges);
    struct Awaited {
        std::string url, name;
    };
    std::vector<Awaited> awaited;
    for (const auto& url : *order.authorizations) {
        const Authorization authz = read_authorization(session.post_as_get(url).body, responder.type());
        if (authz.status == "valid") continue;
        if (authz.status != "pending") bad_response("the authorization for " + text::quote(authz.name) + " is " + text::quote(authz.status));
        if (!authz.challenge)
            throw Error(OCSCERT_E_UNSUPPORTED, "NoSuitableChallenge", responder.type() == "dns-01" ? "dnsHook" : "ca",
                        "The CA offers no " + responder.type() + " challenge for " + text::quote(authz.name) + (responder.type() == "http-01" ? "; try a DNS hook." : "."));
        session.progress().report("Proving control of the names", responder.type() + " for " + authz.name, 30);
        responder.answer(authz.name, authz.challenge->token, authz.challenge->token + "." + session.thumbprint());
        session.post(authz.challenge->url, json::object());
        awaited.push_back({url, authz.name});
    }
    for (std::size_t i = 0; i < awaited.size(); ++i) {
        for (int round = 0;; ++round) {
            const transport::HttpResponse raw = session.post_as_get(awaited[i].url);
            const Authorization authz = read_authorization(raw.body, "");
            session.progress().report("Proving control of the names", awaited[i].name + ": " + ca_words(authz.status),
                                      30 + static_cast<int>(30 * (i + 1) / awaited.size()));
            if (authz.status == "valid") break;
            if (authz.status != "pending")
                throw Error(OCSCERT_E_NETWORK, "ChallengeFailed", "ca",
                            "The CA could not validate " + text::quote(awaited[i].name) + " by " + responder.type() + ": " + ca_words(authz.failure) + "." +
                                challenge_hint(responder.type(), awaited[i].name));
            const auto delay = poll_delay(raw, round + 1);  // the first question was asked at once
            if (Clock::now() + delay > session.deadline())
                throw Error(OCSCERT_E_NETWORK, "ValidationTimeout", "ca",
                            "The CA had not validated " + text::quote(awaited[i].name) + " when the wait ran out; the request is kept, submit it again.");
            pause(delay, session.progress());
        }
    }
}

Outcome denied(const Problem& problem, std::string reason, int retries) {
    Outcome outcome;
    outcome.disposition = Disposition::Denied;
    outcome.reason = std::move(reason);
    outcome.detail = ca_words(problem.detail.empty() ? problem.type : problem.detail);
    outcome.retries = retries;
    return outcome;
}

[[noreturn]] void ca_failed(const Problem& problem) {
    throw Error(OCSCERT_E_NETWORK, "CaError", "ca",
                "The ACME CA answered " + (problem.type.empty() ? "HTTP " + std::to_string(problem.status) : problem.type) + ": " + ca_words(problem.detail));
}

// Waits for the order to be issued and downloads the chain, or leaves it pending when the wait is over.
Outcome finish(Session& session, const std::string& order_url, Order order, transport::HttpResponse last, int not_yet) {
    const auto deadline = Clock::now() + session.options().wait;
    // last: the latest answer about the order (the finalize answer at first); its Retry-After paces the polling.
    for (int round = 0;; ++round) {
        const std::string& status = order.status;
        if (status == "valid") break;
        if (status == "invalid") return denied(Problem{"orderInvalid", order.error_detail, 0}, "OrderInvalid", session.retries());
        if (status != "processing" && status != "ready" && status != "pending") bad_response("the order's status is " + text::quote(status));
        const auto delay = poll_delay(last, not_yet + round);
        if (Clock::now() + delay >= deadline) {
            Outcome outcome;
            outcome.disposition = Disposition::Pending;
            outcome.ca_request_id = order_url;
            outcome.poll_state = {{"orderUrl", order_url}};
            outcome.retry_after = transport::retry_after(last).value_or(std::chrono::seconds(0));  // 0: the caller's default
            outcome.retries = session.retries();
            return outcome;
        }
        pause(delay, session.progress());
        session.progress().report("Waiting for the CA", "The order is " + ca_words(status), 80);
        last = session.post_as_get(order_url);
        order = read_order(last.body, "the order");
    }
    session.progress().report("Downloading the certificate", transport::url_host(session.options().directory_url), 95);
    transport::HttpResponse chain;
    try {
        chain = session.post(checked_url(order.certificate, "certificate", "the issued order"), std::nullopt);
    } catch (const Problem& problem) {
        ca_failed(problem);
    }
    if (chain.content_type() != "application/pem-certificate-chain")
        bad_response("the certificate came as " + text::quote(chain.content_type()) + ", not application/pem-certificate-chain");
    Outcome outcome;
    outcome.disposition = Disposition::Issued;
    outcome.certificates_pem = chain.body;
    outcome.retries = session.retries();
    return outcome;
}

}  // namespace

// Runs one conversation with the CA; a failure drops what this process knew about the CA, so the next one asks afresh.
template <typename F> Outcome converse(const Options& options, F&& body) {
    try {
        return body();
    } catch (const Problem& problem) {
        known_cas().drop(options.directory_url);
        ca_failed(problem);
    } catch (...) {
        known_cas().drop(options.directory_url);
        throw;
    }
}

Outcome submit(const Options& options, const std::vector<std::string>& names, const std::string& csr_der, Progress& progress) {
    const int choices = !options.challenges.http_listener.empty() + !options.challenges.web_root.empty() + !options.challenges.dns_hook.empty();
    if (choices != 1)
        invalid("httpListener", "ChallengeMethod", "Say how the CA's challenge is answered: a listener address, a web root or a DNS hook (exactly one).");
    Session session(options, progress);
    // The CA's checks must end while this call's listener or hook is there to answer them.
    session.set_deadline(Clock::now() + std::max<std::chrono::seconds>(options.wait, validation_wait));
    return converse(options, [&]() -> Outcome {
        session.start();
        progress.report("Ordering the certificate", std::to_string(names.size()) + " names", 20);
        json identifiers = json::array();
        for (const auto& name : names) identifiers.push_back({{"type", "dns"}, {"value", name}});
        transport::HttpResponse created;
        try {
            created = session.post(session.directory().new_order, json{{"identifiers", identifiers}});
        } catch (const Problem& problem) {
            if (problem.type == "rejectedIdentifier" || problem.type == "caa" || problem.type == "unsupportedIdentifier")
                return denied(problem, problem.type == "caa" ? "CaaForbids" : "RejectedIdentifier", session.retries());
            throw;
        }
        const auto* location = created.header("location");
        if (!location || location->empty()) bad_response("newOrder gave no order URL");
        const std::string order_url = *location;
        const Order order = read_order(created.body, "the order");
        authorize(session, order);

        progress.report("Finalizing the order", "Sending the certificate request", 70);
        transport::HttpResponse answer;
        try {
            answer = session.post(checked_url(order.finalize, "finalize", "the order"), json{{"csr", jws::base64url(csr_der)}});
        } catch (const Problem& problem) {
            if (problem.type == "badCSR") return denied(problem, "BadCsr", session.retries());
            throw;
        }
        Order finalized = read_order(answer.body, "the order");
        return finish(session, order_url, std::move(finalized), std::move(answer), /*not_yet=*/0);
    });
}

Outcome poll(const Options& options, const json& poll_state, Progress& progress) {
    const std::string order_url = poll_state.value("orderUrl", "");
    if (order_url.empty()) invalid("id", "NothingToPoll", "The request has no ACME order to ask about.");
    Session session(options, progress);
    return converse(options, [&]() -> Outcome {
        session.start(/*existing_account=*/true);
        transport::HttpResponse raw = session.post_as_get(order_url);
        Order order = read_order(raw.body, "the order");
        return finish(session, order_url, std::move(order), std::move(raw), /*not_yet=*/1);
    });
}

}  // namespace ocscert::ca::acme
