// Prometheus text parsing and the Triton / DCGM metric mappings, and scraping over real HTTP (libcurl against
// a one-shot server on loopback).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <thread>

#include "harness/input_error.h"
#include "harness/telemetry/gpu_metrics.h"
#include "harness/telemetry/prometheus_text.h"

namespace voxperf::telemetry {
namespace {

// What Triton's :8002/metrics serves for two GPUs (abridged, values made up).
const char* const kTriton = R"(# HELP nv_gpu_utilization GPU utilization rate [0.0 - 1.0)
# TYPE nv_gpu_utilization gauge
nv_gpu_utilization{gpu_uuid="GPU-aaaa"} 0.68
nv_gpu_utilization{gpu_uuid="GPU-bbbb"} 0.1
# HELP nv_gpu_memory_used_bytes GPU used memory (bytes)
# TYPE nv_gpu_memory_used_bytes gauge
nv_gpu_memory_used_bytes{gpu_uuid="GPU-aaaa"} 17290739712
nv_gpu_memory_used_bytes{gpu_uuid="GPU-bbbb"} 1048576
nv_gpu_memory_total_bytes{gpu_uuid="GPU-aaaa"} 85520809984
nv_gpu_power_usage{gpu_uuid="GPU-aaaa"} 280.5
nv_gpu_power_usage{gpu_uuid="GPU-bbbb"} 70
nv_inference_count{model="fastpitch",version="1"} 1234
)";

// What NVIDIA's DCGM exporter serves: a GPU, and a MIG instance (GPU_I_ID) of another GPU.
const char* const kDcgm = R"(# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).
# TYPE DCGM_FI_DEV_GPU_UTIL gauge
DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-aaaa",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="riva-0"} 75
DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-aaaa",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="riva-0"} 15086
DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-aaaa",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="riva-0"} 213.25
DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-aaaa",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="riva-0"} 34
DCGM_FI_DEV_SM_CLOCK{gpu="0",UUID="GPU-aaaa",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="riva-0"} 1980
DCGM_FI_DEV_FB_USED{gpu="1",UUID="GPU-cccc",device="nvidia1",modelName="NVIDIA H100 80GB HBM3",GPU_I_PROFILE="3g.40gb",GPU_I_ID="1",Hostname="riva-0"} 9000
)";

TEST(PrometheusText, ParsesLabelsCommentsEscapesAndSpecialValues) {
  const auto samples = parse_prometheus_text(
      "# a comment\n\nup 1\nrpc_seconds{path=\"a\\\"b\\\\c\",le=\"+Inf\"} +Inf 1700000000000\r\nbad_value NaN\n"
      "  spaced_metric { code = \"200\" , } 2.5e3\n");
  ASSERT_EQ(samples.size(), 4u);
  EXPECT_EQ(samples[0].name, "up");
  EXPECT_EQ(samples[0].value, 1);
  EXPECT_EQ(samples[1].labels.at("path"), "a\"b\\c");
  EXPECT_TRUE(std::isinf(samples[1].value));
  EXPECT_TRUE(std::isnan(samples[2].value));
  EXPECT_EQ(samples[3].labels.at("code"), "200");
  EXPECT_EQ(samples[3].value, 2500);
}

TEST(PrometheusText, MalformedLinesNameTheLine) {
  for (const char* bad : {"metric{gpu=\"0\" 1\n", "metric{gpu=0} 1\n", "metric one\n", "{gpu=\"0\"} 1\n",
                          "metric 1 2 3\n"}) {
    try {
      parse_prometheus_text(std::string("ok 1\n") + bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("line 2: ", 0), 0u) << e.what();
    }
  }
}

TEST(GpuMetrics, TritonMetricsPerGpuInVoxperfUnits) {
  const auto gpus = readings_from_metrics(parse_prometheus_text(kTriton), MetricsFlavor::kTriton);
  ASSERT_EQ(gpus.size(), 2u);
  EXPECT_EQ(gpus[0].id, "GPU-aaaa");
  EXPECT_DOUBLE_EQ(*gpus[0].utilization_pct, 68);
  EXPECT_DOUBLE_EQ(*gpus[0].memory_used_mib, 17290739712.0 / 1048576);
  EXPECT_DOUBLE_EQ(*gpus[0].memory_total_mib, 85520809984.0 / 1048576);
  EXPECT_DOUBLE_EQ(*gpus[0].power_w, 280.5);
  EXPECT_FALSE(gpus[0].temperature_c.has_value()) << "Triton does not export it: n/a";
  EXPECT_EQ(gpus[1].memory_used_mib, 1);
  EXPECT_FALSE(gpus[1].memory_total_mib.has_value());
}

TEST(GpuMetrics, DcgmMetricsPerGpuAndMigInstancesMemory) {
  const auto gpus = readings_from_metrics(parse_prometheus_text(kDcgm), MetricsFlavor::kDcgm);
  ASSERT_EQ(gpus.size(), 2u);
  // GPU 1 is in MIG mode: only its instance's frame buffer is known; no whole-GPU values, n/a.
  EXPECT_TRUE(gpus[1].mig);
  ASSERT_EQ(gpus[1].mig_devices.size(), 1u);
  EXPECT_EQ(gpus[1].mig_devices[0].index, 1u);
  EXPECT_EQ(gpus[1].mig_devices[0].memory_used_mib, 9000);
  EXPECT_FALSE(gpus[1].utilization_pct.has_value());
  EXPECT_FALSE(gpus[1].memory_used_mib.has_value());
  EXPECT_EQ(gpus[0].id, "0");
  EXPECT_EQ(gpus[0].name, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(gpus[0].utilization_pct, 75);
  EXPECT_EQ(gpus[0].memory_used_mib, 15086);
  EXPECT_EQ(gpus[0].power_w, 213.25);
  EXPECT_EQ(gpus[0].temperature_c, 34);
  EXPECT_EQ(gpus[0].sm_clock_mhz, 1980);
}

TEST(GpuMetrics, AnEndpointThatFailsGivesNoReadingAndSaysWhy) {
  MetricsEndpointSource down("http://gpu-host:8002/metrics", MetricsFlavor::kTriton,
                             [](const std::string& url, auto) -> std::string { throw std::runtime_error(url + ": refused"); });
  EXPECT_TRUE(down.read().empty());
  EXPECT_EQ(down.problem(), "http://gpu-host:8002/metrics: refused");
  MetricsEndpointSource garbage("http://x/metrics", MetricsFlavor::kDcgm,
                                [](const std::string&, auto) { return std::string("<html>not metrics</html>\n"); });
  EXPECT_TRUE(garbage.read().empty());
  EXPECT_NE(garbage.problem().find("line 1"), std::string::npos) << garbage.problem();
}

// Serves `body` once over HTTP on 127.0.0.1, as a metrics endpoint would.
class OneShotHttpServer {
 public:
  explicit OneShotHttpServer(std::string body) : body_(std::move(body)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    socklen_t length = sizeof(address);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    listen(listener_, 1);
    thread_ = std::thread([this] {
      const int client = accept(listener_, nullptr, nullptr);
      if (client < 0) return;
      char request[4096];
      [[maybe_unused]] const auto n = recv(client, request, sizeof(request), 0);
      const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: " +
                                   std::to_string(body_.size()) + "\r\nConnection: close\r\n\r\n" + body_;
      [[maybe_unused]] const auto sent = send(client, response.data(), response.size(), 0);
      close(client);
    });
  }
  ~OneShotHttpServer() {
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/metrics"; }

 private:
  std::string body_;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST(GpuMetrics, ScrapesARealHttpEndpoint) {
  OneShotHttpServer server(kDcgm);
  MetricsEndpointSource source(server.url(), MetricsFlavor::kDcgm);
  const auto gpus = source.read();
  ASSERT_EQ(gpus.size(), 2u) << source.problem();
  EXPECT_EQ(gpus[0].utilization_pct, 75);
  EXPECT_EQ(source.describe(), "dcgm " + server.url());
}

TEST(GpuMetrics, AnUnreachableEndpointNamesTheUrl) {
  try {
    curl_get("http://127.0.0.1:1/metrics", std::chrono::milliseconds(2000));
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("http://127.0.0.1:1/metrics: ", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace voxperf::telemetry
