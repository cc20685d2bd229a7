/* libtlrt's tensor-map cache: encode once per descriptor, re-point with
   cuTensorMapReplaceAddress, a new descriptor gets a new map, and invalid
   descriptors give the driver's reason. Tiled and im2col. */
#define CASE_NAME "tensormaps"
#include "harness.h"

static int check(int cond, const char *what) {
  if (!cond)
    printf("FAIL %s: %s\n", CASE_NAME, what);
  return !cond;
}

int main(void) {
  uint64_t dA = devicePoisoned(512 * 512 * 4), dB = devicePoisoned(512 * 512 * 4);
  TlrtTiledMapDesc d;
  memset(&d, 0, sizeof d);
  d.dataType = 7; /* FLOAT32 */
  d.rank = 2;
  d.globalDim[0] = d.globalDim[1] = 512;
  d.globalStrides[0] = 512 * 4;
  d.boxDim[0] = d.boxDim[1] = 64;
  d.elementStrides[0] = d.elementStrides[1] = 1;
  d.l2Promotion = 2;
  _Alignas(64) unsigned char m1[128], m2[128], m3[128], m4[128];
  int bad = 0;
  CHECK(tlrtGetTiledMap(&d, dA, m1));
  CHECK(tlrtGetTiledMap(&d, dA, m2));
  bad |= check(memcmp(m1, m2, 128) == 0, "the same descriptor gave another map");
  CHECK(tlrtGetTiledMap(&d, dB, m3));
  bad |= check(memcmp(m1, m3, 128) != 0,
               "a new address did not re-point the cached map");
  CHECK(tlrtGetTiledMap(&d, dA, m3));
  bad |= check(memcmp(m1, m3, 128) == 0,
               "re-pointing back did not restore the map");
  d.swizzle = 3; /* 128B: inner box 32 floats = 128 bytes */
  d.boxDim[0] = 32;
  CHECK(tlrtGetTiledMap(&d, dA, m4));
  bad |= check(memcmp(m1, m4, 128) != 0, "a different descriptor reused a map");
  d.boxDim[0] = 512; /* > 256: the driver refuses */
  int rc = tlrtGetTiledMap(&d, dA, m4);
  bad |= check(rc == TLRT_ERROR_CUDA &&
                   strstr(tlrtLastError(), "cuTensorMapEncodeTiled failed"),
               "an invalid box was not reported");
  printf("invalid box: %s\n", tlrtLastError());

  TlrtIm2colMapDesc im;
  memset(&im, 0, sizeof im);
  im.dataType = 6; /* FLOAT16, NHWC N=2 H=W=8 C=64, 3x3 pad 1 */
  im.rank = 4;
  uint64_t dims[4] = {64, 8, 8, 2};
  memcpy(im.globalDim, dims, sizeof dims);
  im.globalStrides[0] = 64 * 2;
  im.globalStrides[1] = 8 * 64 * 2;
  im.globalStrides[2] = 8 * 8 * 64 * 2;
  im.lowerCorner[0] = im.lowerCorner[1] = -1;
  im.upperCorner[0] = im.upperCorner[1] = -1;
  im.channelsPerPixel = 64;
  im.pixelsPerColumn = 64;
  for (int i = 0; i < 4; ++i)
    im.elementStrides[i] = 1;
  _Alignas(64) unsigned char i1[128], i2[128];
  CHECK(tlrtGetIm2colMap(&im, dA, i1));
  CHECK(tlrtGetIm2colMap(&im, dA, i2));
  bad |= check(memcmp(i1, i2, 128) == 0 && memcmp(i1, m1, 128) != 0,
               "im2col maps are not cached apart");
  im.rank = 2;
  rc = tlrtGetIm2colMap(&im, dA, i2);
  bad |= check(rc == TLRT_ERROR_INVALID && strstr(tlrtLastError(), "rank 2"),
               "an im2col rank of 2 was not refused");
  if (!bad)
    printf("PASS %s (tiled + im2col encode, cache, re-point, errors)\n",
           CASE_NAME);
  return bad;
}
