#include "server/null/delay_model.h"

#include <cmath>
#include <sstream>
#include <vector>

#include "harness/input_error.h"

namespace voxperf::nullserver {
namespace {

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ':');) parts.push_back(part);
  return parts;
}

double number(const std::string& text, const std::string& flag, const std::string& whole) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !std::isfinite(value) || value < 0) {
    throw InputError(flag + " " + whole + ": '" + text + "' is not a non-negative number of milliseconds");
  }
  return value;
}

std::string ms(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

DelayModel DelayModel::parse(const std::string& text, const std::string& flag) {
  const auto parts = split(text);
  DelayModel model;
  const std::string usage = ": use MS, fixed:MS, uniform:LOW:HIGH, exp:MEAN or lognormal:MEDIAN:SIGMA";
  if (parts.empty()) throw InputError(flag + " is empty" + usage);
  if (parts.size() == 1) {
    model.a_ms_ = number(parts[0], flag, text);
    return model;
  }
  const std::string& kind = parts[0];
  if (kind == "fixed" && parts.size() == 2) {
    model.a_ms_ = number(parts[1], flag, text);
  } else if (kind == "uniform" && parts.size() == 3) {
    model.kind_ = Kind::kUniform;
    model.a_ms_ = number(parts[1], flag, text);
    model.b_ms_ = number(parts[2], flag, text);
    if (model.b_ms_ < model.a_ms_) throw InputError(flag + " " + text + ": HIGH is below LOW");
  } else if (kind == "exp" && parts.size() == 2) {
    model.kind_ = Kind::kExponential;
    model.a_ms_ = number(parts[1], flag, text);
  } else if (kind == "lognormal" && parts.size() == 3) {
    model.kind_ = Kind::kLognormal;
    model.a_ms_ = number(parts[1], flag, text);
    model.b_ms_ = number(parts[2], flag, text);
  } else {
    throw InputError(flag + " " + text + usage);
  }
  return model;
}

Nanos DelayModel::draw(std::mt19937_64& random) const {
  double value = a_ms_;
  if (kind_ != Kind::kFixed) {
    switch (kind_) {
      case Kind::kUniform: value = std::uniform_real_distribution<double>(a_ms_, b_ms_)(random); break;
      case Kind::kExponential:
        value = a_ms_ > 0 ? std::exponential_distribution<double>(1.0 / a_ms_)(random) : 0.0;
        break;
      case Kind::kLognormal:
        value = a_ms_ > 0 ? std::lognormal_distribution<double>(std::log(a_ms_), b_ms_)(random) : 0.0;
        break;
      case Kind::kFixed: break;
    }
  }
  return Nanos(static_cast<std::int64_t>(std::llround(value * 1e6)));
}

std::string DelayModel::describe() const {
  switch (kind_) {
    case Kind::kFixed: return "fixed:" + ms(a_ms_);
    case Kind::kUniform: return "uniform:" + ms(a_ms_) + ":" + ms(b_ms_);
    case Kind::kExponential: return "exp:" + ms(a_ms_);
    case Kind::kLognormal: return "lognormal:" + ms(a_ms_) + ":" + ms(b_ms_);
  }
  return {};
}

}  // namespace voxperf::nullserver
