// The DCGAN training step's heavy kernels in oneDNN, on tfjs's own float32 buffers (read and written in place,
// no copies): 2-D convolution forward, data gradient and weight gradient; matrix multiplication; training-mode
// batch norm forward and backward; ReLU / leaky ReLU / tanh forward and backward; bias-gradient sums; the Adam
// update.
//
// Convolutions: tfjs's layouts are plain (NHWC activations, HWIO weights); oneDNN's fast kernels want blocked
// weights, so weights are reordered at each call (cheap next to the convolution: the activations are what is
// large, and those stay NHWC). Primitives are created once per shape and cached: creating one costs
// milliseconds, executing a cached one does not.
#include <dnnl.hpp>
#include <napi.h>
#include <omp.h>

#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

dnnl::engine& cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpuStream() {
  static dnnl::stream stream(cpuEngine());
  return stream;
}

// One convolution's geometry in tfjs's terms: x [n, h, w, ci], w [kh, kw, ci, co], y [n, oh, ow, co].
struct Geometry {
  memory::dim n, h, w, ci, kh, kw, co, oh, ow, sh, sw, padTop, padLeft, padBottom, padRight;

  std::string key(const char* kind) const {
    std::ostringstream s;
    s << kind;
    for (memory::dim d : {n, h, w, ci, kh, kw, co, oh, ow, sh, sw, padTop, padLeft, padBottom, padRight}) s << ' ' << d;
    return s.str();
  }
  memory::desc src(tag t = tag::nhwc) const { return {{n, ci, h, w}, dt::f32, t}; }
  memory::desc weights(tag t) const { return {{co, ci, kh, kw}, dt::f32, t}; }
  memory::desc dst(tag t = tag::nhwc) const { return {{n, co, oh, ow}, dt::f32, t}; }
  memory::dims strides() const { return {sh, sw}; }
  memory::dims padL() const { return {padTop, padLeft}; }
  memory::dims padR() const { return {padBottom, padRight}; }

  memory::desc bias() const { return {{co}, dt::f32, tag::x}; }

  dnnl::convolution_forward::primitive_desc forwardHint(bool withBias = false) const {
    auto d = withBias ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training,
                                                        dnnl::algorithm::convolution_direct, src(), weights(tag::any),
                                                        bias(), dst(), strides(), padL(), padR())
                      : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training,
                                                        dnnl::algorithm::convolution_direct, src(), weights(tag::any),
                                                        dst(), strides(), padL(), padR());
    return {d, cpuEngine()};
  }
};

// A primitive plus what it needs around it: the weights' layout it chose and a reorder to or from HWIO.
struct Prepared {
  dnnl::primitive primitive;
  memory::desc weightsDesc;
  bool plainWeights;
  dnnl::reorder weightsReorder;  // HWIO → chosen layout (forward, data gradient) or back (weight gradient)
  memory blockedWeights;          // scratch for the blocked copy, owned here
  // Which weights the blocked copy holds: the caller's token for an immutable tensor (0: unknown). A weight is
  // read by several convolutions per step (D on reals and on fakes, G twice), so most reorders are repeats.
  int64_t heldToken = 0;
};

std::unordered_map<std::string, std::unique_ptr<Prepared>>& cache() {
  static std::unordered_map<std::string, std::unique_ptr<Prepared>> primitives;
  return primitives;
}

std::unique_ptr<Prepared> withWeights(dnnl::primitive primitive, const memory::desc& chosen, const Geometry& g,
                                      bool intoChosen) {
  auto prepared = std::make_unique<Prepared>();
  prepared->primitive = primitive;
  prepared->weightsDesc = chosen;
  memory::desc plain = g.weights(tag::hwio);
  prepared->plainWeights = chosen == plain;
  if (!prepared->plainWeights) {
    prepared->blockedWeights = memory(chosen, cpuEngine());
    prepared->weightsReorder = intoChosen ? dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), plain, cpuEngine(), chosen))
                                          : dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), chosen, cpuEngine(), plain));
  }
  return prepared;
}

Prepared& forward(const Geometry& g, bool withBias) {
  auto& slot = cache()[g.key(withBias ? "fwd-bias" : "fwd")];
  if (!slot) {
    auto pd = g.forwardHint(withBias);
    slot = withWeights(dnnl::convolution_forward(pd), pd.weights_desc(), g, true);
  }
  return *slot;
}

Prepared& backwardData(const Geometry& g) {
  auto& slot = cache()[g.key("bwd-data")];
  if (!slot) {
    dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, g.src(), g.weights(tag::any), g.dst(),
                                            g.strides(), g.padL(), g.padR());
    dnnl::convolution_backward_data::primitive_desc pd(d, cpuEngine(), g.forwardHint());
    slot = withWeights(dnnl::convolution_backward_data(pd), pd.weights_desc(), g, true);
  }
  return *slot;
}

Prepared& backwardWeights(const Geometry& g) {
  auto& slot = cache()[g.key("bwd-weights")];
  if (!slot) {
    dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, g.src(), g.weights(tag::any),
                                               g.dst(), g.strides(), g.padL(), g.padR());
    dnnl::convolution_backward_weights::primitive_desc pd(d, cpuEngine(), g.forwardHint());
    slot = withWeights(dnnl::convolution_backward_weights(pd), pd.diff_weights_desc(), g, false);
  }
  return *slot;
}

// ---- arguments from JS ------------------------------------------------------------------------------

float* floats(const Napi::Value& value, size_t expected, const char* name) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(value.Env(), std::string(name) + " must be a Float32Array");
  auto array = value.As<Napi::Float32Array>();
  if (array.ElementLength() != expected) {
    std::ostringstream s;
    s << name << " holds " << array.ElementLength() << " floats, expected " << expected;
    throw Napi::RangeError::New(value.Env(), s.str());
  }
  return array.Data();
}

// geometry: [n, h, w, ci, kh, kw, co, oh, ow, sh, sw, padTop, padLeft, padBottom, padRight]
Geometry geometryOf(const Napi::Value& value) {
  auto env = value.Env();
  if (!value.IsArray() || value.As<Napi::Array>().Length() != 15)
    throw Napi::TypeError::New(env, "geometry must be an array of 15 integers");
  auto array = value.As<Napi::Array>();
  memory::dim d[15];
  for (uint32_t i = 0; i < 15; i++) d[i] = array.Get(i).As<Napi::Number>().Int64Value();
  return {d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14]};
}

// The optional last argument of conv2d / conv2dBackpropInput: a positive integer naming the weights' contents
// for as long as they live (tfjs tensors are immutable), so an unchanged blocked copy is reused.
int64_t tokenOf(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() <= index || info[index].IsUndefined() || info[index].IsNull()) return 0;
  if (!info[index].IsNumber()) throw Napi::TypeError::New(info.Env(), "the weights token must be a number");
  return info[index].As<Napi::Number>().Int64Value();
}

void blockWeights(Prepared& p, memory& plain, int64_t token) {
  if (p.plainWeights) return;
  if (token > 0 && token == p.heldToken) return;
  p.weightsReorder.execute(cpuStream(), plain, p.blockedWeights);
  p.heldToken = token;
}

template <typename F>
Napi::Value guarded(const Napi::CallbackInfo& info, F body) {
  try {
    body();
  } catch (const dnnl::error& e) {
    throw Napi::Error::New(info.Env(), std::string("oneDNN: ") + e.what());
  }
  return info.Env().Undefined();
}

// conv2d(geometry, x, w, bias | null, y): y = conv(x, w) + bias
Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  Geometry g = geometryOf(info[0]);
  float* x = floats(info[1], g.n * g.h * g.w * g.ci, "x");
  float* w = floats(info[2], g.kh * g.kw * g.ci * g.co, "w");
  float* bias = info[3].IsNull() || info[3].IsUndefined() ? nullptr : floats(info[3], g.co, "bias");
  float* y = floats(info[4], g.n * g.oh * g.ow * g.co, "y");
  int64_t token = tokenOf(info, 5);
  return guarded(info, [&] {
    Prepared& p = forward(g, bias != nullptr);
    memory plain(g.weights(tag::hwio), cpuEngine(), w);
    blockWeights(p, plain, token);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(g.src(), cpuEngine(), x)},
                                         {DNNL_ARG_WEIGHTS, p.plainWeights ? plain : p.blockedWeights},
                                         {DNNL_ARG_DST, memory(g.dst(), cpuEngine(), y)}};
    if (bias != nullptr) args.insert({DNNL_ARG_BIAS, memory(g.bias(), cpuEngine(), bias)});
    p.primitive.execute(cpuStream(), args);
    cpuStream().wait();
  });
}

// conv2dBackpropInput(geometry, dy, w, dx): dx = the gradient of conv(x, w) wrt x (a transposed convolution)
Napi::Value Conv2dBackpropInput(const Napi::CallbackInfo& info) {
  Geometry g = geometryOf(info[0]);
  float* dy = floats(info[1], g.n * g.oh * g.ow * g.co, "dy");
  float* w = floats(info[2], g.kh * g.kw * g.ci * g.co, "w");
  float* dx = floats(info[3], g.n * g.h * g.w * g.ci, "dx");
  int64_t token = tokenOf(info, 4);
  return guarded(info, [&] {
    Prepared& p = backwardData(g);
    memory plain(g.weights(tag::hwio), cpuEngine(), w);
    blockWeights(p, plain, token);
    p.primitive.execute(cpuStream(), {{DNNL_ARG_DIFF_DST, memory(g.dst(), cpuEngine(), dy)},
                                      {DNNL_ARG_WEIGHTS, p.plainWeights ? plain : p.blockedWeights},
                                      {DNNL_ARG_DIFF_SRC, memory(g.src(), cpuEngine(), dx)}});
    cpuStream().wait();
  });
}

// conv2dBackpropFilter(geometry, x, dy, dw): dw = the gradient of conv(x, w) wrt w
Napi::Value Conv2dBackpropFilter(const Napi::CallbackInfo& info) {
  Geometry g = geometryOf(info[0]);
  float* x = floats(info[1], g.n * g.h * g.w * g.ci, "x");
  float* dy = floats(info[2], g.n * g.oh * g.ow * g.co, "dy");
  float* dw = floats(info[3], g.kh * g.kw * g.ci * g.co, "dw");
  return guarded(info, [&] {
    Prepared& p = backwardWeights(g);
    memory plain(g.weights(tag::hwio), cpuEngine(), dw);
    p.primitive.execute(cpuStream(), {{DNNL_ARG_SRC, memory(g.src(), cpuEngine(), x)},
                                      {DNNL_ARG_DIFF_DST, memory(g.dst(), cpuEngine(), dy)},
                                      {DNNL_ARG_DIFF_WEIGHTS, p.plainWeights ? plain : p.blockedWeights}});
    if (!p.plainWeights) p.weightsReorder.execute(cpuStream(), p.blockedWeights, plain);
    cpuStream().wait();
  });
}

// ---- batch normalization (training: the batch's own statistics) -----------------------------------------

// x [n, h, w, c] NHWC, normalised per channel over n, h, w; the variance is the biased one, as tf.moments gives.
struct NormGeometry {
  memory::dim n, h, w, c;
  float epsilon;

  std::string key(const char* kind) const {
    std::ostringstream s;
    s << kind << ' ' << n << ' ' << h << ' ' << w << ' ' << c << ' ' << epsilon;
    return s.str();
  }
  memory::desc data() const { return {{n, c, h, w}, dt::f32, tag::nhwc}; }
  memory::desc stat() const { return {{c}, dt::f32, tag::x}; }
  static dnnl::normalization_flags flags() {
    return dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift;
  }

  dnnl::batch_normalization_forward::primitive_desc forwardDesc() const {
    dnnl::batch_normalization_forward::desc d(dnnl::prop_kind::forward_training, data(), epsilon, flags());
    return {d, cpuEngine()};
  }
};

std::unordered_map<std::string, dnnl::primitive>& normCache() {
  static std::unordered_map<std::string, dnnl::primitive> primitives;
  return primitives;
}

NormGeometry normGeometryOf(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  if (!info[0].IsArray() || info[0].As<Napi::Array>().Length() != 4)
    throw Napi::TypeError::New(env, "shape must be an array of 4 integers");
  auto array = info[0].As<Napi::Array>();
  memory::dim d[4];
  for (uint32_t i = 0; i < 4; i++) d[i] = array.Get(i).As<Napi::Number>().Int64Value();
  return {d[0], d[1], d[2], d[3], info[1].As<Napi::Number>().FloatValue()};
}

// batchNormForward(shape, epsilon, x, gamma, beta, y, mean, variance)
Napi::Value BatchNormForward(const Napi::CallbackInfo& info) {
  NormGeometry g = normGeometryOf(info);
  size_t size = g.n * g.h * g.w * g.c;
  float* x = floats(info[2], size, "x");
  float* gamma = floats(info[3], g.c, "gamma");
  float* beta = floats(info[4], g.c, "beta");
  float* y = floats(info[5], size, "y");
  float* mean = floats(info[6], g.c, "mean");
  float* variance = floats(info[7], g.c, "variance");
  return guarded(info, [&] {
    auto& slot = normCache()[g.key("bn-fwd")];
    if (!slot) slot = dnnl::batch_normalization_forward(g.forwardDesc());
    auto& e = cpuEngine();
    slot.execute(cpuStream(), {{DNNL_ARG_SRC, memory(g.data(), e, x)},
                               {DNNL_ARG_SCALE, memory(g.stat(), e, gamma)},
                               {DNNL_ARG_SHIFT, memory(g.stat(), e, beta)},
                               {DNNL_ARG_DST, memory(g.data(), e, y)},
                               {DNNL_ARG_MEAN, memory(g.stat(), e, mean)},
                               {DNNL_ARG_VARIANCE, memory(g.stat(), e, variance)}});
    cpuStream().wait();
  });
}

// batchNormBackward(shape, epsilon, x, dy, gamma, mean, variance, dx, dgamma, dbeta): the full gradient, through
// the batch statistics as well.
Napi::Value BatchNormBackward(const Napi::CallbackInfo& info) {
  NormGeometry g = normGeometryOf(info);
  size_t size = g.n * g.h * g.w * g.c;
  float* x = floats(info[2], size, "x");
  float* dy = floats(info[3], size, "dy");
  float* gamma = floats(info[4], g.c, "gamma");
  float* mean = floats(info[5], g.c, "mean");
  float* variance = floats(info[6], g.c, "variance");
  float* dx = floats(info[7], size, "dx");
  float* dgamma = floats(info[8], g.c, "dgamma");
  float* dbeta = floats(info[9], g.c, "dbeta");
  return guarded(info, [&] {
    auto& slot = normCache()[g.key("bn-bwd")];
    if (!slot) {
      dnnl::batch_normalization_backward::desc d(dnnl::prop_kind::backward, g.data(), g.data(), g.epsilon, g.flags());
      slot = dnnl::batch_normalization_backward({d, cpuEngine(), g.forwardDesc()});
    }
    auto& e = cpuEngine();
    slot.execute(cpuStream(), {{DNNL_ARG_SRC, memory(g.data(), e, x)},
                               {DNNL_ARG_DIFF_DST, memory(g.data(), e, dy)},
                               {DNNL_ARG_SCALE, memory(g.stat(), e, gamma)},
                               // oneDNN 2.6 wants a shift here though the gradient never reads it.
                               {DNNL_ARG_SHIFT, memory(g.stat(), e, gamma)},
                               {DNNL_ARG_MEAN, memory(g.stat(), e, mean)},
                               {DNNL_ARG_VARIANCE, memory(g.stat(), e, variance)},
                               {DNNL_ARG_DIFF_SRC, memory(g.data(), e, dx)},
                               {DNNL_ARG_DIFF_SCALE, memory(g.stat(), e, dgamma)},
                               {DNNL_ARG_DIFF_SHIFT, memory(g.stat(), e, dbeta)}});
    cpuStream().wait();
  });
}

// ---- activations, bias gradients and Adam: few FLOPs, but full passes over every activation ----------------

dnnl::algorithm activation(const Napi::Value& name) {
  std::string kind = name.As<Napi::String>().Utf8Value();
  if (kind == "relu") return dnnl::algorithm::eltwise_relu;  // alpha > 0: leaky
  // Its gradient reads y, which tfjs keeps anyway, rather than x.
  if (kind == "tanh") return dnnl::algorithm::eltwise_tanh_use_dst_for_bwd;
  throw Napi::TypeError::New(name.Env(), "activation must be \"relu\" or \"tanh\"");
}

dnnl::eltwise_forward::primitive_desc activationForward(dnnl::algorithm kind, float alpha, memory::dim size) {
  memory::desc data({size}, dt::f32, tag::x);
  dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_training, kind, data, alpha, 0.f);
  return {d, cpuEngine()};
}

// activation(kind, alpha, x, y)
Napi::Value Activation(const Napi::CallbackInfo& info) {
  dnnl::algorithm kind = activation(info[0]);
  float alpha = info[1].As<Napi::Number>().FloatValue();
  auto size = info[2].As<Napi::Float32Array>().ElementLength();
  float* x = floats(info[2], size, "x");
  float* y = floats(info[3], size, "y");
  return guarded(info, [&] {
    std::ostringstream key;
    key << "act " << static_cast<int>(kind) << ' ' << alpha << ' ' << size;
    auto& slot = normCache()[key.str()];
    if (!slot) slot = dnnl::eltwise_forward(activationForward(kind, alpha, size));
    memory::desc data({static_cast<memory::dim>(size)}, dt::f32, tag::x);
    slot.execute(cpuStream(), {{DNNL_ARG_SRC, memory(data, cpuEngine(), x)}, {DNNL_ARG_DST, memory(data, cpuEngine(), y)}});
    cpuStream().wait();
  });
}

// activationBackward(kind, alpha, dy, xOrY, dx): relu reads x, tanh reads y
Napi::Value ActivationBackward(const Napi::CallbackInfo& info) {
  dnnl::algorithm kind = activation(info[0]);
  float alpha = info[1].As<Napi::Number>().FloatValue();
  auto size = info[2].As<Napi::Float32Array>().ElementLength();
  float* dy = floats(info[2], size, "dy");
  float* data = floats(info[3], size, "x or y");
  float* dx = floats(info[4], size, "dx");
  return guarded(info, [&] {
    std::ostringstream key;
    key << "act-bwd " << static_cast<int>(kind) << ' ' << alpha << ' ' << size;
    auto& slot = normCache()[key.str()];
    memory::desc plain({static_cast<memory::dim>(size)}, dt::f32, tag::x);
    if (!slot) {
      dnnl::eltwise_backward::desc d(kind, plain, plain, alpha, 0.f);
      slot = dnnl::eltwise_backward({d, cpuEngine(), activationForward(kind, alpha, size)});
    }
    int dataArg = kind == dnnl::algorithm::eltwise_relu ? DNNL_ARG_SRC : DNNL_ARG_DST;
    slot.execute(cpuStream(), {{DNNL_ARG_DIFF_DST, memory(plain, cpuEngine(), dy)},
                               {dataArg, memory(plain, cpuEngine(), data)},
                               {DNNL_ARG_DIFF_SRC, memory(plain, cpuEngine(), dx)}});
    cpuStream().wait();
  });
}

// sumRows(rows, x, out): out[c] = sum over r of x[r, c], x seen as [rows, cols] (a bias gradient over n, h, w).
// oneDNN 2.6 has only its reference reduction for this (about 20× slower than a pass over memory), so it is a
// loop here: each thread sums a band of rows in double, then the bands are added.
Napi::Value SumRows(const Napi::CallbackInfo& info) {
  auto rows = info[0].As<Napi::Number>().Int64Value();
  auto cols = static_cast<int64_t>(info[2].As<Napi::Float32Array>().ElementLength());
  const float* x = floats(info[1], rows * cols, "x");
  float* out = floats(info[2], cols, "out");
  std::vector<double> total(cols, 0.0);
#pragma omp parallel
  {
    std::vector<double> band(cols, 0.0);
#pragma omp for schedule(static)
    for (int64_t r = 0; r < rows; r++) {
      const float* row = x + r * cols;
      for (int64_t c = 0; c < cols; c++) band[c] += row[c];
    }
#pragma omp critical
    for (int64_t c = 0; c < cols; c++) total[c] += band[c];
  }
  for (int64_t c = 0; c < cols; c++) out[c] = static_cast<float>(total[c]);
  return info.Env().Undefined();
}

// adam(hyper, w, g, m, v, w2, m2, v2); hyper = [-lr, beta1, beta2, epsilon, 1 - beta1, 1 - beta2, 1 - beta1^t,
// 1 - beta2^t], each as tfjs rounds it to float32. tfjs's AdamOptimizer op for op, as one pass instead of twelve.
Napi::Value Adam(const Napi::CallbackInfo& info) {
  auto hyper = info[0].As<Napi::Array>();
  if (!info[0].IsArray() || hyper.Length() != 8) throw Napi::TypeError::New(info.Env(), "hyper must hold 8 numbers");
  float h[8];
  for (uint32_t i = 0; i < 8; i++) h[i] = hyper.Get(i).As<Napi::Number>().FloatValue();
  const float negLr = h[0], b1 = h[1], b2 = h[2], eps = h[3], oneMinusB1 = h[4], oneMinusB2 = h[5];
  const float correction1 = h[6], correction2 = h[7];
  auto size = info[1].As<Napi::Float32Array>().ElementLength();
  const float* w = floats(info[1], size, "w");
  const float* g = floats(info[2], size, "g");
  const float* m = floats(info[3], size, "m");
  const float* v = floats(info[4], size, "v");
  float* w2 = floats(info[5], size, "w2");
  float* m2 = floats(info[6], size, "m2");
  float* v2 = floats(info[7], size, "v2");
#pragma omp parallel for simd schedule(static)
  for (size_t i = 0; i < size; i++) {
    float mi = m[i] * b1 + g[i] * oneMinusB1;
    float vi = v[i] * b2 + (g[i] * g[i]) * oneMinusB2;
    m2[i] = mi;
    v2[i] = vi;
    w2[i] = ((mi / correction1) / (std::sqrt(vi / correction2) + eps)) * negLr + w[i];
  }
  return info.Env().Undefined();
}

// ---- matrix multiplication (the dense layers: G's projection of z, D's logit, and their gradients) ----------

// matmul([batch, m, k, n, transposeA, transposeB], a, b, bias | null, c): c[i] = op(a[i]) · op(b[i]) + bias, where
// a is stored [batch, m, k] (or [batch, k, m] when transposed) and b [batch, k, n] (or [batch, n, k]).
Napi::Value Matmul(const Napi::CallbackInfo& info) {
  auto dims = info[0].As<Napi::Array>();
  if (!info[0].IsArray() || dims.Length() != 6) throw Napi::TypeError::New(info.Env(), "dims must hold 6 numbers");
  memory::dim d[6];
  for (uint32_t i = 0; i < 6; i++) d[i] = dims.Get(i).As<Napi::Number>().Int64Value();
  const memory::dim batch = d[0], m = d[1], k = d[2], n = d[3];
  const bool transposeA = d[4] != 0, transposeB = d[5] != 0;
  float* a = floats(info[1], batch * m * k, "a");
  float* b = floats(info[2], batch * k * n, "b");
  float* bias = info[3].IsNull() || info[3].IsUndefined() ? nullptr : floats(info[3], n, "bias");
  float* c = floats(info[4], batch * m * n, "c");
  return guarded(info, [&] {
    // A transposed operand is the same matrix read with swapped strides.
    memory::desc aDesc({batch, m, k}, dt::f32, transposeA ? memory::dims{m * k, 1, m} : memory::dims{m * k, k, 1});
    memory::desc bDesc({batch, k, n}, dt::f32, transposeB ? memory::dims{k * n, 1, k} : memory::dims{k * n, n, 1});
    memory::desc cDesc({batch, m, n}, dt::f32, tag::abc);
    memory::desc biasDesc({1, 1, n}, dt::f32, tag::abc);
    std::ostringstream key;
    key << "matmul";
    for (memory::dim x : d) key << ' ' << x;
    key << (bias != nullptr ? " bias" : "");
    auto& slot = normCache()[key.str()];
    if (!slot) {
      auto desc = bias != nullptr ? dnnl::matmul::desc(aDesc, bDesc, biasDesc, cDesc) : dnnl::matmul::desc(aDesc, bDesc, cDesc);
      slot = dnnl::matmul(dnnl::matmul::primitive_desc(desc, cpuEngine()));
    }
    auto& e = cpuEngine();
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(aDesc, e, a)},
                                         {DNNL_ARG_WEIGHTS, memory(bDesc, e, b)},
                                         {DNNL_ARG_DST, memory(cDesc, e, c)}};
    if (bias != nullptr) args.insert({DNNL_ARG_BIAS, memory(biasDesc, e, bias)});
    slot.execute(cpuStream(), args);
    cpuStream().wait();
  });
}

// ---- Gaussian noise, the numbers tf.randomNormal gives ----------------------------------------------------

// normals(state, mean, std, out): fills out with exactly what tf.randomNormal(shape, mean, std, "float32", seed)
// holds, given state = [s0, s1, s2, c] of seedrandom's alea seeded as tfjs seeds it. tfjs draws Marsaglia's
// polar pairs from alea in JavaScript, one by one; the draws must stay in order, but the logarithms and square
// roots, most of the time, need not: accepted pairs are collected first, then transformed on every thread.
// Same double arithmetic in the same order (the build keeps the compiler from fusing multiply-adds).
Napi::Value Normals(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array ||
      info[0].As<Napi::Float64Array>().ElementLength() != 4)
    throw Napi::TypeError::New(env, "state must be a Float64Array [s0, s1, s2, c]");
  const double* state = info[0].As<Napi::Float64Array>().Data();
  double s0 = state[0], s1 = state[1], s2 = state[2], c = state[3];
  const double mean = info[1].As<Napi::Number>().DoubleValue();
  const double stdDev = info[2].As<Napi::Number>().DoubleValue();
  if (!info[3].IsTypedArray() || info[3].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(env, "out must be a Float32Array");
  auto outArray = info[3].As<Napi::Float32Array>();
  float* out = outArray.Data();
  const size_t n = outArray.ElementLength();

  auto next = [&]() {
    double t = 2091639.0 * s0 + c * 2.3283064365386963e-10;  // alea: 2^-32
    s0 = s1;
    s1 = s2;
    c = static_cast<double>(static_cast<int32_t>(t));  // t | 0, t ≥ 0
    s2 = t - c;
    return s2;
  };
  const size_t pairs = (n + 1) / 2;
  static std::vector<double> v1s, v2s, ss;
  v1s.resize(pairs);
  v2s.resize(pairs);
  ss.resize(pairs);
  for (size_t i = 0; i < pairs; i++) {
    double v1, v2, s;
    do {
      v1 = 2 * next() - 1;
      v2 = 2 * next() - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s == 0);
    v1s[i] = v1;
    v2s[i] = v2;
    ss[i] = s;
  }
#pragma omp parallel for schedule(static)
  for (size_t i = 0; i < pairs; i++) {
    const double mul = std::sqrt(-2.0 * std::log(ss[i]) / ss[i]);
    out[2 * i] = static_cast<float>(mean + stdDev * v1s[i] * mul);
    if (2 * i + 1 < n) out[2 * i + 1] = static_cast<float>(mean + stdDev * v2s[i] * mul);
  }
  return env.Undefined();
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  omp_set_num_threads(info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

Napi::Value Threads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), omp_get_max_threads()); }

Napi::Value Version(const Napi::CallbackInfo& info) {
  const dnnl_version_t* v = dnnl_version();
  std::ostringstream s;
  s << v->major << '.' << v->minor << '.' << v->patch;
  return Napi::String::New(info.Env(), s.str());
}

Napi::Value CachedPrimitives(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(cache().size() + normCache().size()));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2d", Napi::Function::New(env, Conv2d));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2dBackpropInput));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2dBackpropFilter));
  exports.Set("batchNormForward", Napi::Function::New(env, BatchNormForward));
  exports.Set("batchNormBackward", Napi::Function::New(env, BatchNormBackward));
  exports.Set("activation", Napi::Function::New(env, Activation));
  exports.Set("activationBackward", Napi::Function::New(env, ActivationBackward));
  exports.Set("sumRows", Napi::Function::New(env, SumRows));
  exports.Set("adam", Napi::Function::New(env, Adam));
  exports.Set("matmul", Napi::Function::New(env, Matmul));
  exports.Set("normals", Napi::Function::New(env, Normals));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("threads", Napi::Function::New(env, Threads));
  exports.Set("version", Napi::Function::New(env, Version));
  exports.Set("cachedPrimitives", Napi::Function::New(env, CachedPrimitives));
  return exports;
}

}  // namespace

NODE_API_MODULE(dnnl_kernels, Init)
