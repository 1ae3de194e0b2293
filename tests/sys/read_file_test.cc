#include "src/sys/read_file.h"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace sockfi {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

TEST(ReadFileTest, ReadsEveryByteOfAFileLargerThanOneRead) {
  std::string bytes(200000, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7);
  const std::string path = TempPath("big");
  std::ofstream(path, std::ios::binary) << bytes;
  SysResult<std::string> read = ReadFile(path);
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(*read, bytes);
}

TEST(ReadFileTest, ReadsAnEmptyFile) {
  const std::string path = TempPath("empty");
  std::ofstream(path, std::ios::binary).flush();
  SysResult<std::string> read = ReadFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, "");
}

TEST(ReadFileTest, SaysWhyAFileCannotBeRead) {
  SysResult<std::string> missing = ReadFile(TempPath("no-such-file"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), ENOENT);

  SysResult<std::string> directory = ReadFile(TempPath(""));
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error(), EISDIR);

  const std::string file = TempPath("plain");
  std::ofstream(file) << "x";
  SysResult<std::string> under_a_file = ReadFile(file + "/child");
  ASSERT_FALSE(under_a_file.ok());
  EXPECT_EQ(under_a_file.error(), ENOTDIR);
}

}  // namespace
}  // namespace sockfi
