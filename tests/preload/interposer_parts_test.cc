// The interposer's parts on their own: JSON lines, names, the fd registry and
// the trace writer (several threads, several writers on one file, a pipe).

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/preload/fd_registry.h"
#include "src/preload/json_line.h"
#include "src/preload/names.h"
#include "src/preload/trace_writer.h"

namespace sockfi::preload {
namespace {

using ::testing::ElementsAre;

std::string TempPath(const std::string& name) {
  static int counter = 0;
  const char* tmp = std::getenv("TEST_TMPDIR");
  return absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/", name, ".", getpid(),
                      ".", ++counter);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string LineOf(JsonLine& line) {
  const char* text = line.Finish();
  return std::string(text, line.size());
}

TEST(JsonLineTest, WritesFieldsInOrderAndEscapesStrings) {
  JsonLine line("call");
  line.Int("pid", -42);
  line.Str("note", "a \"b\" \\ \n\x01\xc3");
  line.Str("rule", nullptr);
  line.Bool("adversarial", true);
  const int fds[] = {3, 4};
  line.IntArray("new_fds", fds, 2);
  const char* actors[] = {"foreign"};
  line.StrArray("actors", actors, 1);
  EXPECT_EQ(LineOf(line),
            "{\"type\":\"call\",\"pid\":-42,\"note\":\"a \\\"b\\\" \\\\ "
            "\\u000a\\u0001?\",\"rule\":null,\"adversarial\":true,"
            "\"new_fds\":[3,4],\"actors\":[\"foreign\"]}\n");
}

TEST(JsonLineTest, CutsLongStringsAndReplacesALineThatDoesNotFit) {
  const std::string long_text(1000, 'x');
  JsonLine cut("call");
  cut.Str("note", long_text.c_str());
  EXPECT_EQ(LineOf(cut),
            absl::StrCat("{\"type\":\"call\",\"note\":\"",
                         std::string(JsonLine::kMaxString, 'x'), "\"}\n"));
  JsonLine full("call");
  for (int i = 0; i < 40; ++i) full.Str("note", long_text.c_str());
  EXPECT_EQ(LineOf(full), "{\"type\":\"call\",\"overflow\":true}\n");
}

TEST(NamesTest, FormatsSocketConstantsAndAddresses) {
  NameBuffer buffer;
  EXPECT_STREQ(FormatDomain(AF_INET6, &buffer), "AF_INET6");
  EXPECT_STREQ(FormatDomain(12345, &buffer), "family 12345");
  EXPECT_STREQ(
      FormatSocketType(SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, &buffer),
      "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC");
  EXPECT_STREQ(FormatFcntlCommand(F_SETFL, &buffer), "F_SETFL");
  sockaddr_in v4 = {};
  v4.sin_family = AF_INET;
  v4.sin_port = htons(4242);
  v4.sin_addr.s_addr = htonl(0x7f010203);
  EXPECT_STREQ(
      FormatAddress(reinterpret_cast<sockaddr*>(&v4), sizeof(v4), &buffer),
      "127.1.2.3:4242");
  sockaddr_in6 v6 = {};
  v6.sin6_family = AF_INET6;
  v6.sin6_port = htons(80);
  v6.sin6_addr = in6addr_loopback;
  EXPECT_STREQ(
      FormatAddress(reinterpret_cast<sockaddr*>(&v6), sizeof(v6), &buffer),
      "[::1]:80");
  sockaddr_un unix_address = {};
  unix_address.sun_family = AF_UNIX;
  strcpy(unix_address.sun_path, "/run/x.sock");
  EXPECT_STREQ(FormatAddress(reinterpret_cast<sockaddr*>(&unix_address),
                             sizeof(unix_address), &buffer),
               "unix:/run/x.sock");
  unix_address.sun_path[0] = '\0';
  EXPECT_STREQ(FormatAddress(reinterpret_cast<sockaddr*>(&unix_address),
                             offsetof(sockaddr_un, sun_path) + 4, &buffer),
               "unix:@run");
  char digits[24];
  EXPECT_EQ(std::string(digits, FormatInt(INT64_MIN, digits)),
            "-9223372036854775808");
}

TEST(FdRegistryTest, TracksAndUntracksFromManyThreads) {
  static FdRegistry registry;  // maps its tables once, like the interposer's
  EXPECT_FALSE(registry.Tracked(5));
  EXPECT_FALSE(registry.Track(FdRegistry::kCapacity, FdOrigin()));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int fd = t; fd < 4000; fd += 4) {
        FdOrigin origin;
        origin.occurrence = static_cast<uint32_t>(fd);
        registry.Track(fd, origin);
      }
      for (int fd = t; fd < 4000; fd += 8) registry.Untrack(fd);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(registry.open_count(), 2000);
  int visited = 0;
  registry.ForEach([&](int fd) {
    EXPECT_EQ(fd % 8 >= 4, true) << fd;
    EXPECT_EQ(registry.Origin(fd).occurrence, static_cast<uint32_t>(fd));
    ++visited;
  });
  EXPECT_EQ(visited, 2000);
  EXPECT_FALSE(registry.Untrack(0));  // already untracked
}

// Returns the non-blank lines of `text`.
std::vector<std::string> NonBlank(const std::string& text) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.find_first_not_of(" ") != absl::string_view::npos) {
      lines.emplace_back(line);
    }
  }
  return lines;
}

TEST(TraceWriterTest, KeepsEveryLineFromManyThreadsAcrossReservations) {
  const std::string path = TempPath("writer.jsonl");
  auto writer = std::make_unique<TraceWriter>();
  ASSERT_TRUE(writer->Configure(path.c_str()));
  constexpr int kThreads = 4;
  constexpr int kLines = 4000;  // 16,000 lines of ~60 bytes: 4 reservations
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&writer, t] {
      for (int i = 0; i < kLines; ++i) {
        const std::string line =
            absl::StrCat("{\"thread\":", t, ",\"line\":", i,
                         ",\"pad\":\"..........................\"}\n");
        ASSERT_TRUE(writer->Append(line.data(), line.size()));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  writer->Finish();
  const std::string text = ReadFile(path);
  std::vector<std::string> lines = NonBlank(text);
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLines));
  std::set<std::string> unique(lines.begin(), lines.end());
  EXPECT_EQ(unique.size(), lines.size());
  // The last reservation was trimmed: the file ends with the last line.
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_NE(text[text.size() - 2], ' ');
  EXPECT_GT(text.size(), TraceWriter::kChunkSize);
  EXPECT_EQ(writer->dropped(), 0u);
  const std::string late = "{\"late\":true}\n";
  EXPECT_FALSE(writer->Append(late.data(), late.size()));
}

TEST(TraceWriterTest, WritersSharingAFileKeepTheirLinesApart) {
  const std::string path = TempPath("shared.jsonl");
  auto first = std::make_unique<TraceWriter>();
  auto second = std::make_unique<TraceWriter>();
  ASSERT_TRUE(first->Configure(path.c_str()));
  ASSERT_TRUE(second->Configure(path.c_str()));
  const std::string a = "{\"writer\":\"first\"}\n";
  const std::string b = "{\"writer\":\"second\"}\n";
  ASSERT_TRUE(first->Append(a.data(), a.size()));
  ASSERT_TRUE(second->Append(b.data(), b.size()));
  ASSERT_TRUE(first->Append(a.data(), a.size()));
  // The first writer's reservation is not the file's last: its padding stays
  // (as whitespace); the second's is trimmed.
  first->Finish();
  second->Finish();
  const std::string text = ReadFile(path);
  EXPECT_THAT(NonBlank(text),
              ElementsAre("{\"writer\":\"first\"}", "{\"writer\":\"first\"}",
                          "{\"writer\":\"second\"}"));
  EXPECT_EQ(text.size(), TraceWriter::kChunkSize + b.size());
}

TEST(TraceWriterTest, WritesLineByLineToAPipe) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string path = absl::StrCat("/proc/self/fd/", fds[1]);
  auto writer = std::make_unique<TraceWriter>();
  ASSERT_TRUE(writer->Configure(path.c_str()));
  const std::string line = "{\"to\":\"pipe\"}\n";
  ASSERT_TRUE(writer->Append(line.data(), line.size()));
  ASSERT_TRUE(writer->Append(line.data(), line.size()));
  writer->Finish();
  char buffer[64] = {};
  ASSERT_EQ(read(fds[0], buffer, sizeof(buffer)),
            static_cast<ssize_t>(2 * line.size()));
  EXPECT_EQ(std::string(buffer), line + line);
  close(fds[0]);
  close(fds[1]);
}

TEST(TraceWriterTest, SaysOnceWhyItCannotOpenTheFile) {
  auto writer = std::make_unique<TraceWriter>();
  ASSERT_TRUE(writer->Configure("/proc/no/such/dir/trace.jsonl"));
  const std::string line = "{}\n";
  testing::internal::CaptureStderr();
  EXPECT_FALSE(writer->Append(line.data(), line.size()));
  EXPECT_FALSE(writer->Append(line.data(), line.size()));
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err,
            "sockfi-preload: SOCKFI_TRACE: cannot open "
            "/proc/no/such/dir/trace.jsonl: No such file or directory; no "
            "further trace lines\n");
  EXPECT_EQ(writer->dropped(), 2u);
}

}  // namespace
}  // namespace sockfi::preload
