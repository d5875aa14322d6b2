;; Hamming distances between one query code and many row codes, 128 bits at a time with WASM SIMD
;; (i8x16.popcnt). Source of hammingWasm.ts: `npx tsx scripts/build-wasm.ts` regenerates it.
(module
  (memory (export "memory") 1)
  ;; distances(codes, rows, vecs, query, out): for each row r, out[r] (u16) = popcount(code_r xor query),
  ;; where a code is `vecs` consecutive v128 (vecs <= 31, so each byte lane stays below 256).
  (func (export "distances") (param $codes i32) (param $rows i32) (param $vecs i32) (param $query i32) (param $out i32)
    (local $r i32) (local $p i32) (local $q i32) (local $v i32) (local $acc v128)
    (local.set $p (local.get $codes))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $acc (v128.const i64x2 0 0))
        (local.set $q (local.get $query))
        (local.set $v (i32.const 0))
        (block $vd
          (loop $vec
            (br_if $vd (i32.ge_u (local.get $v) (local.get $vecs)))
            (local.set $acc (i8x16.add (local.get $acc) (i8x16.popcnt (v128.xor (v128.load (local.get $p)) (v128.load (local.get $q))))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (local.set $v (i32.add (local.get $v) (i32.const 1)))
            (br $vec)))
        (local.set $acc (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $acc))))
        (i32.store16
          (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 1)))
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row)))))
