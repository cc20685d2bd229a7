// Reference copy kernels in CUDA C (not tl): how close can any kernel get to
// cuMemcpyDtoD on this GPU? Each kernel copies `bytes` (checked once with
// memcmp), then is timed like bench.h (median of 30 after 5 warm-ups, buffer
// sets rotated past L2) against cudaMemcpyDeviceToDevice of the same bytes
// in the same process. docs/performance.md cites the result for the
// persistent-copy target of issue 17.
//
//   nvcc -O3 -arch=sm_90a -o ref_copy bench/ref_copy.cu && ./ref_copy
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#define CK(x)                                                                  \
  do {                                                                         \
    cudaError_t e_ = (x);                                                      \
    if (e_ != cudaSuccess) {                                                   \
      printf("ERROR %s: %s\n", #x, cudaGetErrorString(e_));                    \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

// Grid-stride 16-byte copy, U vectors in flight per thread per step; with
// Cs the streaming cache hints (ld.global.cs / st.global.cs).
template <int U, bool Cs>
__global__ void copyVec(const int4 *__restrict__ a, int4 *__restrict__ b,
                        size_t n) {
  size_t stride = (size_t)gridDim.x * blockDim.x;
  size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  for (; i + (U - 1) * stride < n; i += U * stride) {
    int4 v[U];
#pragma unroll
    for (int u = 0; u < U; ++u)
      v[u] = Cs ? __ldcs(a + i + u * stride) : a[i + u * stride];
#pragma unroll
    for (int u = 0; u < U; ++u) {
      if (Cs)
        __stcs(b + i + u * stride, v[u]);
      else
        b[i + u * stride] = v[u];
    }
  }
  for (; i < n; i += stride)
    b[i] = a[i];
}

struct Sets {
  std::vector<int4 *> a, b;
};

template <typename F> static float median(F launch, int sets) {
  cudaEvent_t e0, e1;
  CK(cudaEventCreate(&e0));
  CK(cudaEventCreate(&e1));
  for (int i = 0; i < 5; ++i)
    launch(i % sets);
  CK(cudaDeviceSynchronize());
  std::vector<float> ms(30);
  for (int i = 0; i < 30; ++i) {
    CK(cudaEventRecord(e0));
    launch(i % sets);
    CK(cudaEventRecord(e1));
    CK(cudaEventSynchronize(e1));
    CK(cudaEventElapsedTime(&ms[i], e0, e1));
  }
  std::sort(ms.begin(), ms.end());
  return ms[15];
}

int main() {
  int sms = 0, l2 = 0;
  CK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
  CK(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, 0));
  for (size_t mib : {256, 1024}) {
    size_t bytes = mib << 20, n = bytes / 16;
    int sets = (int)std::min<size_t>(8, std::max<size_t>(1, (4 * (size_t)l2 + 2 * bytes - 1) / (2 * bytes)));
    Sets s;
    std::vector<unsigned char> host(bytes), back(bytes);
    for (size_t i = 0; i < bytes; ++i)
      host[i] = (unsigned char)(i * 2654435761u >> 13);
    for (int k = 0; k < sets; ++k) {
      int4 *a, *b;
      CK(cudaMalloc(&a, bytes));
      CK(cudaMalloc(&b, bytes));
      CK(cudaMemcpy(a, host.data(), bytes, cudaMemcpyHostToDevice));
      s.a.push_back(a);
      s.b.push_back(b);
    }
    float dtod = median([&](int k) { CK(cudaMemcpy(s.b[k], s.a[k], bytes, cudaMemcpyDeviceToDevice)); }, sets);
    auto run = [&](const char *name, auto kernel, int blocksPerSm, int threads) {
      int grid = sms * blocksPerSm;
      CK(cudaMemset(s.b[0], 0xA5, bytes));
      kernel<<<grid, threads>>>(s.a[0], s.b[0], n);
      CK(cudaDeviceSynchronize());
      CK(cudaMemcpy(back.data(), s.b[0], bytes, cudaMemcpyDeviceToHost));
      if (memcmp(back.data(), host.data(), bytes)) {
        printf("ERROR %s: wrong result\n", name);
        exit(1);
      }
      float ms = median([&](int k) { kernel<<<grid, threads>>>(s.a[k], s.b[k], n); }, sets);
      printf("ref %-22s %5zu MiB moved %6.0f  %6.1f GB/s  dtod %6.1f GB/s  ratio %.3f\n", name,
             2 * mib, (double)blocksPerSm, 2.0 * bytes / ms / 1e6, 2.0 * bytes / dtod / 1e6, dtod / ms);
    };
    run("vec16_u1_b8x256", copyVec<1, false>, 8, 256);
    run("vec16_u4_b8x256", copyVec<4, false>, 8, 256);
    run("vec16_u4_b4x512", copyVec<4, false>, 4, 512);
    run("vec16_u8_b4x256", copyVec<8, false>, 4, 256);
    run("vec16cs_u4_b8x256", copyVec<4, true>, 8, 256);
    run("vec16cs_u8_b4x256", copyVec<8, true>, 4, 256);
    for (int k = 0; k < sets; ++k) {
      CK(cudaFree(s.a[k]));
      CK(cudaFree(s.b[k]));
    }
  }
  return 0;
}
