// The path gRPC calls a method by, "/<package>.<Service>/<Method>": what a generic stub needs in place of a
// generated one's method.
#pragma once

#include <string>
#include <string_view>

namespace voxperf {

template <class Service>
std::string method_path(std::string_view method) {
  return "/" + std::string(Service::service_full_name()) + "/" + std::string(method);
}

}  // namespace voxperf
