#include "harness/wav.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "harness/input_error.h"
#include "tests/wav_writer.h"

namespace voxperf {
namespace {

namespace fs = std::filesystem;
using testing::make_wav;

class WavTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("voxperf_wav_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Expects read_wav to throw an InputError whose message names the file and contains `what`.
  void expect_rejected(const fs::path& path, const std::string& what) {
    try {
      read_wav(path);
      FAIL() << "no error for " << path;
    } catch (const InputError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(path.string()), std::string::npos) << message;
      EXPECT_NE(message.find(what), std::string::npos) << message;
    }
  }

  fs::path dir_;
};

std::vector<std::int16_t> ramp(std::size_t n) {
  std::vector<std::int16_t> s(n);
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<std::int16_t>(static_cast<int>(i * 37 % 2000) - 1000);
  return s;
}

TEST_F(WavTest, ReadsHeadersOf44_78And110Bytes) {
  const auto samples = ramp(1600);
  for (std::size_t list_payload : {std::size_t{0}, std::size_t{26}, std::size_t{58}}) {
    const auto wav = make_wav(samples, 16000, 1, list_payload);
    const std::size_t header = wav.size() - samples.size() * 2;
    const auto path = dir_ / ("h" + std::to_string(header) + ".wav");
    wav.write(path);
    const auto audio = read_wav(path);
    EXPECT_EQ(audio.sample_rate, 16000) << header;
    EXPECT_EQ(audio.channels, 1);
    EXPECT_EQ(audio.samples, samples) << "header of " << header << " bytes";
    EXPECT_DOUBLE_EQ(audio.seconds(), 0.1);
    EXPECT_EQ(audio.bytes().size(), samples.size() * 2);
  }
  EXPECT_EQ(make_wav(samples, 16000, 1, 0).size() - 3200, 44u);
  EXPECT_EQ(make_wav(samples, 16000, 1, 26).size() - 3200, 78u);
  EXPECT_EQ(make_wav(samples, 16000, 1, 58).size() - 3200, 110u);
}

TEST_F(WavTest, StereoKeepsInterleavedFrames) {
  const auto wav = make_wav(ramp(800), 8000, 2);
  wav.write(dir_ / "stereo.wav");
  const auto audio = read_wav(dir_ / "stereo.wav");
  EXPECT_EQ(audio.channels, 2);
  EXPECT_EQ(audio.frames(), 400u);
  EXPECT_DOUBLE_EQ(audio.seconds(), 0.05);
}

TEST_F(WavTest, RejectsMissingFile) { expect_rejected(dir_ / "absent.wav", "not a readable WAV file"); }

TEST_F(WavTest, RejectsTextFile) {
  testing::WavBytes junk;
  junk.text("this is not audio at all, just some words in a file\n");
  junk.write(dir_ / "junk.wav");
  expect_rejected(dir_ / "junk.wav", "not a readable WAV file");
}

TEST_F(WavTest, RejectsTruncatedHeader) {
  auto wav = make_wav(ramp(100), 16000, 1);
  wav.truncate(20);
  wav.write(dir_ / "cut.wav");
  expect_rejected(dir_ / "cut.wav", "not a readable WAV file");
}

TEST_F(WavTest, RejectsFloatAndEightBitAudio) {
  // 32-bit IEEE float (format tag 3) and 8-bit unsigned PCM: valid WAV files, but not LINEAR_PCM 16-bit.
  auto as_float = make_wav(ramp(200), 16000, 1, 0, 3, 32);
  as_float.write(dir_ / "float.wav");
  expect_rejected(dir_ / "float.wav", "needs 16-bit PCM");
  auto eight_bit = make_wav(ramp(200), 16000, 1, 0, 1, 8);
  eight_bit.write(dir_ / "u8.wav");
  expect_rejected(dir_ / "u8.wav", "needs 16-bit PCM");
}

TEST_F(WavTest, RejectsEmptyData) {
  make_wav({}, 16000, 1).write(dir_ / "empty.wav");
  expect_rejected(dir_ / "empty.wav", "no samples");
}

}  // namespace
}  // namespace voxperf
