#include "server/resampler.h"

#include <soxr.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace voxperf::refserver {

Resampler::Resampler(int input_rate, int output_rate) {
  if (input_rate <= 0 || output_rate <= 0) throw std::invalid_argument("Resampler: rates must be positive");
  if (input_rate == output_rate) return;
  ratio_ = static_cast<double>(output_rate) / static_cast<double>(input_rate);
  soxr_error_t error = nullptr;
  const soxr_io_spec_t io = soxr_io_spec(SOXR_INT16_I, SOXR_INT16_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  resampler_ = soxr_create(input_rate, output_rate, 1, &error, &io, &quality, nullptr);
  if (error != nullptr) throw std::runtime_error(std::string("soxr_create: ") + error);
}

Resampler::~Resampler() {
  if (resampler_ != nullptr) soxr_delete(resampler_);
}

void Resampler::process(std::span<const std::int16_t> input, std::vector<std::int16_t>& out) {
  if (passthrough()) {
    out.insert(out.end(), input.begin(), input.end());
    return;
  }
  if (!input.empty()) run(input.data(), input.size(), out);
}

void Resampler::flush(std::vector<std::int16_t>& out) {
  if (!passthrough()) run(nullptr, 0, out);  // a null input tells soxr the stream has ended
}

void Resampler::run(const std::int16_t* input, std::size_t frames, std::vector<std::int16_t>& out) {
  // Room for this input's share of output plus the filter's delay line; loop until soxr has no more.
  const std::size_t room = static_cast<std::size_t>(std::ceil(static_cast<double>(frames) * ratio_)) + 1024;
  std::size_t consumed = 0;
  for (;;) {
    const std::size_t start = out.size();
    out.resize(start + room);
    std::size_t used = 0, produced = 0;
    const soxr_error_t error = soxr_process(resampler_, input ? input + consumed : nullptr, frames - consumed, &used,
                                            out.data() + start, room, &produced);
    out.resize(start + produced);
    if (error != nullptr) throw std::runtime_error(std::string("soxr_process: ") + error);
    consumed += used;
    if (produced < room && consumed >= frames) return;
  }
}

std::vector<std::int16_t> resample_all(std::vector<std::int16_t> samples, int input_rate, int output_rate) {
  if (input_rate == output_rate) return samples;
  Resampler resampler(input_rate, output_rate);
  std::vector<std::int16_t> out;
  resampler.process(samples, out);
  resampler.flush(out);
  return out;
}

}  // namespace voxperf::refserver
