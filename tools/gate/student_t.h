// Quantiles of the normal and Student t distributions, for the A/B gate's confidence bounds. Debian's
// libboost-math would do it, but it is not otherwise a dependency: the t CDF here is the regularized
// incomplete beta function by its continued fraction, and a quantile is that CDF inverted by bisection.
#pragma once

namespace voxperf::gate {

// P(Z <= z) = p for the standard normal; p in (0, 1).
double normal_quantile(double p);

// P(T <= t) = p for Student's t with `df` degrees of freedom (df >= 1, not necessarily whole); p in (0, 1).
double student_t_quantile(double p, double df);
double student_t_cdf(double t, double df);

}  // namespace voxperf::gate
