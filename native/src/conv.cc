// 2D convolution and its two gradients through oneDNN primitives, NHWC.
//
// Activations stay in tfjs's NHWC layout (every other kernel reads them), so
// src/dst memory is plain nhwc and oneDNN picks its NHWC (brgemm) kernels.
// Weights are declared "any" so oneDNN may choose a blocked layout; we reorder
// tfjs's HWIO filter into it (or the gradient out of it) on each call, which
// is cheap next to the convolution (weights are small).
// Transposed convolutions reach us as Conv2DBackpropInput.
#include <omp.h>

#include <cstdlib>

#include "common.h"
#include "conv.h"

namespace gk {
namespace {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

constexpr int kGeomLen = 17;

Geom ReadGeom(const Napi::CallbackInfo &info, size_t i) {
  std::vector<int64_t> g = ArgDims(info, i, "convInfo");
  Check(info.Env(), g.size() == kGeomLen,
        "Expected an Int32Array of 17 conv dimensions for convInfo but received " +
            std::to_string(g.size()));
  return {g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8],
          g[9], g[10], g[11], g[12], g[13], g[14], g[15], g[16]};
}

Key GeomKey(int kind, const Geom &g, int64_t extra = 0) {
  return {kind, g.n, g.ih, g.iw, g.ic, g.oh, g.ow, g.oc, g.kh, g.kw, g.sh, g.sw,
          g.dh, g.dw, g.pt, g.pl, g.pb, g.pr, extra, omp_get_max_threads()};
}

struct Descs {
  memory::desc src, wei_any, wei_user, dst, bias;
  memory::dims strides, dilates, pad_l, pad_r;
};

Descs MakeDescs(const Geom &g) {
  // tfjs dilation 1 means "none"; oneDNN counts the inserted gaps, so d - 1.
  return {memory::desc({g.n, g.ic, g.ih, g.iw}, dt::f32, tag::nhwc),
          memory::desc({g.oc, g.ic, g.kh, g.kw}, dt::f32, tag::any),
          memory::desc({g.oc, g.ic, g.kh, g.kw}, dt::f32, tag::hwio),
          memory::desc({g.n, g.oc, g.oh, g.ow}, dt::f32, tag::nhwc),
          memory::desc({g.oc}, dt::f32, tag::x),
          {g.sh, g.sw},
          {g.dh - 1, g.dw - 1},
          {g.pt, g.pl},
          {g.pb, g.pr}};
}

dnnl::convolution_forward::primitive_desc ForwardPd(const Descs &d, bool withBias,
                                                    const dnnl::primitive_attr &attr) {
  auto desc = withBias
                  ? dnnl::convolution_forward::desc(
                        dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                        d.src, d.wei_any, d.bias, d.dst, d.strides, d.dilates, d.pad_l, d.pad_r)
                  : dnnl::convolution_forward::desc(
                        dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                        d.src, d.wei_any, d.dst, d.strides, d.dilates, d.pad_l, d.pad_r);
  return dnnl::convolution_forward::primitive_desc(desc, attr, Engine());
}

// Name of the oneDNN implementation the last conv call ran (for tests and
// profiling; returning it from every call would allocate a JS string per call).
const std::string *&LastImpl() {
  static const std::string *p = nullptr;
  return p;
}

const std::string kIm2colName = "gankit:im2col+gemm";

// Forward few-channel convs: oneDNN's brgconv is already fast there; the
// GANKIT_CONV_IM2COL_FWD=1 switch exists for measuring the alternative.
bool UseIm2colForward() {
  static const bool on = [] {
    const char *v = std::getenv("GANKIT_CONV_IM2COL_FWD");
    return v != nullptr && v[0] == '1';
  }();
  return on;
}

Napi::Value LastConvImpl(const Napi::CallbackInfo &info) {
  return Napi::String::New(info.Env(), LastImpl() ? *LastImpl() : std::string());
}

// One entry per direction and geometry; each binds its weights (or weight
// gradient) as HWIO with a reorder when oneDNN chose a blocked layout.
// Capacity: a DCGAN-28 run (training, fid10k evaluation and pictures, each
// batch size its own geometry) uses 12 entries (bench/soak.ts), a deeper net a
// few more per layer; 128 holds many such models at once while bounding the
// blocked weight copies the entries own (≤ 0.5 MB each at DCGAN sizes) and
// their JIT code.
constexpr size_t kConvCacheCapacity = 128;
Cache<Primitive> &ConvCache() {
  static auto *c = new Cache<Primitive>("conv", kConvCacheCapacity);  // never destroyed, see Engine()
  return *c;
}

enum Kind { kFwd = 1, kBwdData = 2, kBwdWeights = 3 };

void CheckLen(const Napi::Env &env, const F32 &t, int64_t want, const char *name) {
  Check(env, static_cast<int64_t>(t.length) == want,
        "Expected " + std::to_string(want) + " elements for " + name + " but received " +
            std::to_string(t.length));
}

// conv2d(x, filter, bias|null, y, convInfo, activation, alpha)
Napi::Value Conv2D(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  F32 x = ArgF32(info, 0, "x"), w = ArgF32(info, 1, "filter");
  F32 bias = ArgF32Opt(info, 2, "bias");
  F32 y = ArgF32(info, 3, "y");
  Geom g = ReadGeom(info, 4);
  int act = static_cast<int>(ArgInt(info, 5, "activation"));
  float alpha = static_cast<float>(ArgNum(info, 6, "alpha"));
  CheckLen(env, x, g.n * g.ih * g.iw * g.ic, "x");
  CheckLen(env, w, g.kh * g.kw * g.ic * g.oc, "filter");
  CheckLen(env, y, g.n * g.oh * g.ow * g.oc, "y");
  if (bias.data) CheckLen(env, bias, g.oc, "bias");

  if (g.ic <= kIm2colMaxChannels && UseIm2colForward()) {
    Im2colConvForward(g, x.data, w.data, bias.data, y.data, act, alpha);
    LastImpl() = &kIm2colName;
    return env.Undefined();
  }
  Primitive &e = ConvCache().Get(GeomKey(kFwd, g, bias.data ? 1 : 0), [&] {
    auto en = std::make_unique<Primitive>();
    Descs d = MakeDescs(g);
    auto pd = ForwardPd(d, bias.data != nullptr, UserScratchpad());
    en->prim = dnnl::convolution_forward(pd);
    en->impl = pd.impl_info_str();
    en->scratchpadBytes = pd.scratchpad_desc().get_size();
    en->Bind(DNNL_ARG_SRC, d.src);
    en->Bind(DNNL_ARG_DST, d.dst);
    if (bias.data) en->Bind(DNNL_ARG_BIAS, d.bias);
    en->BindWeights(DNNL_ARG_WEIGHTS, pd.weights_desc(), d.wei_user, Primitive::Flow::kIn);
    return en;
  });
  // The key includes whether there is a bias, so bias.data is null exactly
  // when the entry has no bias argument.
  e.Run({{DNNL_ARG_SRC, x.data}, {DNNL_ARG_WEIGHTS, w.data}, {DNNL_ARG_DST, y.data},
         {DNNL_ARG_BIAS, bias.data}});
  LastImpl() = &e.impl;
  // Not a oneDNN post-op: those turned NaN into numbers (see Gemm in matmul.cc).
  if (act != kLinear) ApplyActivation(y.data, static_cast<int64_t>(y.length), act, alpha);
  return env.Undefined();
}

// conv2dBackpropInput(dy, filter, dx, convInfo): dx = gradient w.r.t. the
// convolution's input (also the forward pass of a transposed convolution).
Napi::Value Conv2DBackpropInput(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  F32 dy = ArgF32(info, 0, "dy"), w = ArgF32(info, 1, "filter"), dx = ArgF32(info, 2, "dx");
  Geom g = ReadGeom(info, 3);
  CheckLen(env, dy, g.n * g.oh * g.ow * g.oc, "dy");
  CheckLen(env, w, g.kh * g.kw * g.ic * g.oc, "filter");
  CheckLen(env, dx, g.n * g.ih * g.iw * g.ic, "dx");

  if (g.ic <= kIm2colMaxChannels) {
    Im2colConvBackwardData(g, dy.data, w.data, dx.data);
    LastImpl() = &kIm2colName;
    return env.Undefined();
  }
  Primitive &e = ConvCache().Get(GeomKey(kBwdData, g), [&] {
    auto en = std::make_unique<Primitive>();
    Descs d = MakeDescs(g);
    auto hint = ForwardPd(d, false, dnnl::primitive_attr());
    dnnl::convolution_backward_data::desc desc(dnnl::algorithm::convolution_direct, d.src,
                                               d.wei_any, d.dst, d.strides, d.dilates,
                                               d.pad_l, d.pad_r);
    dnnl::convolution_backward_data::primitive_desc pd(desc, UserScratchpad(), Engine(), hint);
    en->prim = dnnl::convolution_backward_data(pd);
    en->impl = pd.impl_info_str();
    en->scratchpadBytes = pd.scratchpad_desc().get_size();
    en->Bind(DNNL_ARG_DIFF_SRC, d.src);
    en->Bind(DNNL_ARG_DIFF_DST, d.dst);
    en->BindWeights(DNNL_ARG_WEIGHTS, pd.weights_desc(), d.wei_user, Primitive::Flow::kIn);
    return en;
  });
  e.Run({{DNNL_ARG_DIFF_SRC, dx.data}, {DNNL_ARG_WEIGHTS, w.data}, {DNNL_ARG_DIFF_DST, dy.data}});
  LastImpl() = &e.impl;
  return env.Undefined();
}

// conv2dBackpropFilter(x, dy, dw, convInfo): dw = gradient w.r.t. the filter (HWIO).
Napi::Value Conv2DBackpropFilter(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  F32 x = ArgF32(info, 0, "x"), dy = ArgF32(info, 1, "dy"), dw = ArgF32(info, 2, "dw");
  Geom g = ReadGeom(info, 3);
  CheckLen(env, x, g.n * g.ih * g.iw * g.ic, "x");
  CheckLen(env, dy, g.n * g.oh * g.ow * g.oc, "dy");
  CheckLen(env, dw, g.kh * g.kw * g.ic * g.oc, "dw");

  if (g.ic <= kIm2colMaxChannels) {
    Im2colConvBackwardWeights(g, x.data, dy.data, dw.data);
    LastImpl() = &kIm2colName;
    return env.Undefined();
  }
  Primitive &e = ConvCache().Get(GeomKey(kBwdWeights, g), [&] {
    auto en = std::make_unique<Primitive>();
    Descs d = MakeDescs(g);
    auto hint = ForwardPd(d, false, dnnl::primitive_attr());
    dnnl::convolution_backward_weights::desc desc(dnnl::algorithm::convolution_direct, d.src,
                                                  d.wei_any, d.dst, d.strides, d.dilates,
                                                  d.pad_l, d.pad_r);
    dnnl::convolution_backward_weights::primitive_desc pd(desc, UserScratchpad(), Engine(), hint);
    en->prim = dnnl::convolution_backward_weights(pd);
    en->impl = pd.impl_info_str();
    en->scratchpadBytes = pd.scratchpad_desc().get_size();
    en->Bind(DNNL_ARG_SRC, d.src);
    en->Bind(DNNL_ARG_DIFF_DST, d.dst);
    en->BindWeights(DNNL_ARG_DIFF_WEIGHTS, pd.diff_weights_desc(), d.wei_user, Primitive::Flow::kOut);
    return en;
  });
  e.Run({{DNNL_ARG_SRC, x.data}, {DNNL_ARG_DIFF_WEIGHTS, dw.data}, {DNNL_ARG_DIFF_DST, dy.data}});
  LastImpl() = &e.impl;
  return env.Undefined();
}

}  // namespace

void InitConv(Napi::Env env, Napi::Object exports) {
  ConvCache();  // registered now, so memoryUse() lists it before its first use
  exports.Set("lastConvImpl", Napi::Function::New(env, LastConvImpl));
  exports.Set("conv2d", Napi::Function::New(env, Conv2D));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2DBackpropInput));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2DBackpropFilter));
}

}  // namespace gk
