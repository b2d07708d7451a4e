#include "harness/telemetry/gpu_metrics.h"

#include <curl/curl.h>

#include <cmath>

#include <cstdlib>
#include <map>
#include <stdexcept>

#include "harness/input_error.h"

namespace voxperf::telemetry {
namespace {

constexpr double kMib = 1024.0 * 1024.0;

struct Field {
  const char* metric;
  std::optional<double> GpuReading::*slot;
  double scale;
};

const std::vector<Field>& fields(MetricsFlavor flavor) {
  static const std::vector<Field> triton{
      {"nv_gpu_utilization", &GpuReading::utilization_pct, 100.0},
      {"nv_gpu_memory_used_bytes", &GpuReading::memory_used_mib, 1.0 / kMib},
      {"nv_gpu_memory_total_bytes", &GpuReading::memory_total_mib, 1.0 / kMib},
      {"nv_gpu_power_usage", &GpuReading::power_w, 1.0},
  };
  static const std::vector<Field> dcgm{
      {"DCGM_FI_DEV_GPU_UTIL", &GpuReading::utilization_pct, 1.0},
      {"DCGM_FI_DEV_FB_USED", &GpuReading::memory_used_mib, 1.0},
      {"DCGM_FI_DEV_POWER_USAGE", &GpuReading::power_w, 1.0},
      {"DCGM_FI_DEV_GPU_TEMP", &GpuReading::temperature_c, 1.0},
      {"DCGM_FI_DEV_SM_CLOCK", &GpuReading::sm_clock_mhz, 1.0},
  };
  return flavor == MetricsFlavor::kTriton ? triton : dcgm;
}

std::string label(const MetricSample& s, const char* key) {
  const auto it = s.labels.find(key);
  return it == s.labels.end() ? std::string() : it->second;
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

}  // namespace

std::vector<GpuReading> readings_from_metrics(const std::vector<MetricSample>& samples, MetricsFlavor flavor) {
  std::map<std::string, GpuReading> gpus;  // by GPU label, in label order
  std::vector<std::string> order;
  auto gpu = [&](const std::string& id) -> GpuReading& {
    auto [it, added] = gpus.try_emplace(id);
    if (added) {
      it->second.id = id;
      order.push_back(id);
    }
    return it->second;
  };
  for (const auto& sample : samples) {
    // Triton labels its GPUs by gpu_uuid; DCGM by gpu (the index), with UUID and modelName beside it.
    const std::string id = flavor == MetricsFlavor::kTriton ? label(sample, "gpu_uuid") : label(sample, "gpu");
    const std::string instance = flavor == MetricsFlavor::kDcgm ? label(sample, "GPU_I_ID") : "";
    if (!instance.empty()) {
      // A DCGM series of a MIG instance (GPU_I_ID): not a whole GPU, but its frame buffer is the instance's.
      if (sample.name != "DCGM_FI_DEV_FB_USED" || !std::isfinite(sample.value)) continue;
      GpuReading& parent = gpu(id);
      parent.mig = true;
      if (parent.name.empty()) parent.name = label(sample, "modelName");
      MigReading mig;
      mig.index = static_cast<unsigned>(std::strtoul(instance.c_str(), nullptr, 10));
      mig.memory_used_mib = sample.value;
      parent.mig_devices.push_back(mig);
      continue;
    }
    for (const auto& field : fields(flavor)) {
      if (sample.name != field.metric) continue;
      GpuReading& reading = gpu(id);
      if (flavor == MetricsFlavor::kDcgm && reading.name.empty()) reading.name = label(sample, "modelName");
      if (std::isfinite(sample.value)) reading.*field.slot = sample.value * field.scale;
    }
  }
  std::vector<GpuReading> readings;
  for (const auto& id : order) readings.push_back(gpus[id]);
  return readings;
}

std::string curl_get(const std::string& url, std::chrono::milliseconds timeout) {
  static const bool initialized = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialized) throw std::runtime_error(url + ": libcurl could not start");
  CURL* curl = curl_easy_init();
  if (!curl) throw std::runtime_error(url + ": libcurl could not start");
  std::string body;
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // called from a sampler thread
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  const CURLcode result = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  if (result != CURLE_OK) throw std::runtime_error(url + ": " + (error[0] ? error : curl_easy_strerror(result)));
  if (status != 200) throw std::runtime_error(url + ": HTTP status " + std::to_string(status));
  return body;
}

MetricsEndpointSource::MetricsEndpointSource(std::string url, MetricsFlavor flavor, HttpGet get,
                                             std::chrono::milliseconds timeout)
    : url_(std::move(url)), flavor_(flavor), get_(std::move(get)), timeout_(timeout) {}

std::string MetricsEndpointSource::describe() const {
  return std::string(flavor_ == MetricsFlavor::kTriton ? "triton " : "dcgm ") + url_;
}

std::vector<GpuReading> MetricsEndpointSource::read() {
  try {
    auto readings = readings_from_metrics(parse_prometheus_text(get_(url_, timeout_)), flavor_);
    std::lock_guard lock(mutex_);
    problem_ = readings.empty() ? url_ + ": no " + (flavor_ == MetricsFlavor::kTriton ? "nv_gpu_*" : "DCGM_FI_DEV_*") +
                                      " metrics"
                                : "";
    return readings;
  } catch (const std::exception& e) {  // InputError (not the text format) or runtime_error (HTTP)
    std::lock_guard lock(mutex_);
    problem_ = e.what();
    return {};
  }
}

std::string MetricsEndpointSource::problem() const {
  std::lock_guard lock(mutex_);
  return problem_;
}

}  // namespace voxperf::telemetry
