// A scripted answer delay for voxperf-nullserver: fixed, or drawn from a distribution, so that what voxperf
// measures against it can be compared with what was scripted (the harness's own fidelity and overhead).
//
//   "5" or "fixed:5"     every answer 5 ms later
//   "uniform:2:8"        uniform between 2 and 8 ms
//   "exp:5"              exponential with a mean of 5 ms
//   "lognormal:5:0.5"    lognormal with a median of 5 ms and a sigma (of the log) of 0.5
#pragma once

#include <mutex>
#include <random>
#include <string>

#include "harness/clock.h"

namespace voxperf::nullserver {

class DelayModel {
 public:
  enum class Kind { kFixed, kUniform, kExponential, kLognormal };

  DelayModel() = default;
  // Throws InputError naming `flag` when `text` is not one of the forms above or a value is negative.
  static DelayModel parse(const std::string& text, const std::string& flag);

  Nanos draw(std::mt19937_64& random) const;
  bool zero() const { return kind_ == Kind::kFixed && a_ms_ == 0.0; }
  bool fixed() const { return kind_ == Kind::kFixed; }
  std::string describe() const;  // the form it was parsed from, normalized: "fixed:5"

 private:
  Kind kind_ = Kind::kFixed;
  double a_ms_ = 0.0;  // fixed value, uniform low, exponential mean, lognormal median
  double b_ms_ = 0.0;  // uniform high, lognormal sigma
};

// A model's delays as the server's threads draw them: thread-safe, the same sequence for the same seed.
class DelayDraws {
 public:
  explicit DelayDraws(DelayModel model, std::uint64_t seed = 1) : model_(model), random_(seed) {}
  Nanos next() {
    if (model_.fixed()) return model_.draw(random_);
    std::lock_guard lock(mutex_);
    return model_.draw(random_);
  }
  const DelayModel& model() const { return model_; }

 private:
  DelayModel model_;
  std::mutex mutex_;
  std::mt19937_64 random_;
};

}  // namespace voxperf::nullserver
