// Conv geometry shared by the oneDNN convolution path (conv.cc) and the
// im2col path for few-channel convolutions (conv_im2col.cc).
#pragma once

#include <cstdint>

namespace gk {

// The geometry the TS side computes with backend_util.computeConv2DInfo.
struct Geom {
  int64_t n, ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr;
};

// Convolutions whose input has at most this many channels (the 1-channel image
// side of DCGAN-28) go through im2col + GEMM: oneDNN 2.6's direct kernels for
// them ran at ~5 GFLOP/s backward (3.9 ms for a 26 MFLOP transposed conv).
constexpr int64_t kIm2colMaxChannels = 4;

// y[n,oh,ow,oc] = conv(x, w) (+ bias, activation)
void Im2colConvForward(const Geom &g, const float *x, const float *w, const float *bias, float *y,
                       int act, float alpha);
// dx = gradient w.r.t. the input (transposed convolution)
void Im2colConvBackwardData(const Geom &g, const float *dy, const float *w, float *dx);
// dw (HWIO) = gradient w.r.t. the filter
void Im2colConvBackwardWeights(const Geom &g, const float *x, const float *dy, float *dw);

}  // namespace gk
