#include "harness/manifest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/input_error.h"
#include "harness/prompts.h"
#include "tests/wav_writer.h"

namespace voxperf {
namespace {

namespace fs = std::filesystem;

class ManifestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("voxperf_manifest_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "audio");
    testing::make_wav(std::vector<std::int16_t>(8000, 100), 16000, 1).write(dir_ / "audio" / "a.wav");
    testing::make_wav(std::vector<std::int16_t>(4000, 100), 16000, 1).write(dir_ / "audio" / "b.wav");
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name) << content;
    return dir_ / name;
  }

  void expect_error(const fs::path& manifest, const std::string& what) {
    try {
      load_utterances(manifest);
      FAIL() << "no error";
    } catch (const InputError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(what), std::string::npos) << message;
      EXPECT_NE(message.find(manifest.string()), std::string::npos) << message;
    }
  }

  fs::path dir_;
};

TEST_F(ManifestTest, ResolvesAudioRelativeToManifestFolder) {
  const auto manifest = write("set.jsonl",
                              "{\"audio\": \"audio/a.wav\", \"text\": \"hello world\"}\n"
                              "\n"
                              "{\"text\": \"second\", \"audio\": \"" + (dir_ / "audio" / "b.wav").string() + "\"}\n");
  const auto utterances = load_utterances(manifest);
  ASSERT_EQ(utterances.size(), 2u);
  EXPECT_EQ(utterances[0].id, "a");
  EXPECT_EQ(utterances[0].text, "hello world");
  EXPECT_DOUBLE_EQ(utterances[0].audio.seconds(), 0.5);
  EXPECT_EQ(utterances[1].id, "b");
  EXPECT_DOUBLE_EQ(utterances[1].audio.seconds(), 0.25);
  EXPECT_EQ(read_manifest(manifest)[1].line, 3u);
}

TEST_F(ManifestTest, NamesTheLineAndField) {
  expect_error(write("m1.jsonl", "{\"audio\": \"audio/a.wav\"}\n"), "m1.jsonl:1: missing field \"text\"");
  expect_error(write("m2.jsonl", "{\"audio\": \"audio/a.wav\", \"text\": \"x\"}\n{\"audio\": 5, \"text\": \"y\"}\n"),
               "m2.jsonl:2: field \"audio\" must be a string");
  expect_error(write("m3.jsonl", "{\"audio\": \"audio/a.wav\", \"text\": \"x\"\n"), "m3.jsonl:1: not valid JSON");
  expect_error(write("m4.jsonl", "[1, 2]\n"), "m4.jsonl:1: expected a JSON object");
  expect_error(write("m5.jsonl", "\n\n"), "manifest has no entries");
  expect_error(dir_ / "absent.jsonl", "can not open manifest");
}

TEST_F(ManifestTest, BadAudioIsReportedWithItsManifestLine) {
  const auto manifest = write("m.jsonl",
                              "{\"audio\": \"audio/a.wav\", \"text\": \"x\"}\n"
                              "{\"audio\": \"audio/missing.wav\", \"text\": \"y\"}\n");
  expect_error(manifest, "m.jsonl:2: ");
  expect_error(manifest, "missing.wav");
}

TEST_F(ManifestTest, PromptsWithAndWithoutIds) {
  const auto path = write("prompts.txt", "LJ001|Printing, in the only sense.\n\nHello there.\r\n");
  const auto prompts = read_prompts(path);
  ASSERT_EQ(prompts.size(), 2u);
  EXPECT_EQ(prompts[0].id, "LJ001");
  EXPECT_EQ(prompts[0].text, "Printing, in the only sense.");
  EXPECT_EQ(prompts[1].id, "prompts-3");
  EXPECT_EQ(prompts[1].text, "Hello there.");
  EXPECT_THROW(read_prompts(write("bad.txt", "id|   \n")), InputError);
  EXPECT_THROW(read_prompts(write("none.txt", "\n")), InputError);
}

}  // namespace
}  // namespace voxperf
