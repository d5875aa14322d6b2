;; Vector search kernels with WASM SIMD, run on rows that live in the module's imported memory
;; (see vectorArena.ts). Source of kernelsWasm.ts: `npx tsx scripts/build-wasm.ts` regenerates it.
(module
  (import "env" "memory" (memory 1))

  ;; hamming(codes, rows, vecs, query, out): for each row r, out[r] (u16) = popcount(code_r xor query),
  ;; where a code is `vecs` consecutive v128 (vecs <= 31, so each byte lane stays below 256).
  (func (export "hamming") (param $codes i32) (param $rows i32) (param $vecs i32) (param $query i32) (param $out i32)
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
        (br $row))))

;; histogram(distance, rows, counts): counts[h] (u32) += number of rows at distance h.
  (func (export "histogram") (param $dist i32) (param $rows i32) (param $counts i32)
    (local $end i32) (local $slot i32)
    (local.set $end (i32.add (local.get $dist) (i32.shl (local.get $rows) (i32.const 1))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $dist) (local.get $end)))
        (local.set $slot (i32.add (local.get $counts) (i32.shl (i32.load16_u (local.get $dist)) (i32.const 2))))
        (i32.store (local.get $slot) (i32.add (i32.load (local.get $slot)) (i32.const 1)))
        (local.set $dist (i32.add (local.get $dist) (i32.const 2)))
        (br $each))))

  ;; select(distance, rows, cut, list) -> count: writes to list (i32) each row at distance <= cut.
  (func (export "select") (param $dist i32) (param $rows i32) (param $cut i32) (param $list i32) (result i32)
    (local $r i32) (local $out i32)
    (local.set $out (local.get $list))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        ;; Branch-free: always write, advance only for a kept row.
        (i32.store (local.get $out) (local.get $r))
        (local.set $out (i32.add (local.get $out)
          (i32.shl (i32.le_u (i32.load16_u (i32.add (local.get $dist) (i32.shl (local.get $r) (i32.const 1)))) (local.get $cut)) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each)))
    (i32.shr_u (i32.sub (local.get $out) (local.get $list)) (i32.const 2)))

  ;; sum(data, dims, rows, out): out[j] (f32) += row[j] over all rows; dims a multiple of 4.
  (func (export "sum") (param $data i32) (param $dims i32) (param $rows i32) (param $out i32)
    (local $end i32) (local $o i32) (local $rowEnd i32)
    (local.set $end (i32.add (local.get $data) (i32.mul (local.get $rows) (i32.shl (local.get $dims) (i32.const 2)))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $data) (local.get $end)))
        (local.set $o (local.get $out))
        (local.set $rowEnd (i32.add (local.get $data) (i32.shl (local.get $dims) (i32.const 2))))
        (block $rd
          (loop $lane
            (br_if $rd (i32.ge_u (local.get $data) (local.get $rowEnd)))
            (v128.store (local.get $o) (f32x4.add (v128.load (local.get $o)) (v128.load (local.get $data))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $data (i32.add (local.get $data) (i32.const 16)))
            (br $lane)))
        (br $row))))

  ;; encode(data, dims, rows, centre, codes): bit b of word w of row r's code is set when
  ;; row[32w + b] > centre[32w + b]; dims a multiple of 32.
  (func (export "encode") (param $data i32) (param $dims i32) (param $rows i32) (param $centre i32) (param $codes i32)
    (local $end i32) (local $c i32) (local $cEnd i32) (local $x i32) (local $k i32)
    (local.set $end (i32.add (local.get $codes) (i32.mul (local.get $rows) (i32.shl (i32.shr_u (local.get $dims) (i32.const 5)) (i32.const 2)))))
    (local.set $cEnd (i32.add (local.get $centre) (i32.shl (local.get $dims) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $codes) (local.get $end)))
        (local.set $c (local.get $centre))
        (block $rd
          (loop $word
            (br_if $rd (i32.ge_u (local.get $c) (local.get $cEnd)))
            (local.set $x (i32.const 0))
            (local.set $k (i32.const 0))
            (block $wd
              (loop $four
                (br_if $wd (i32.ge_u (local.get $k) (i32.const 32)))
                (local.set $x (i32.or (local.get $x)
                  (i32.shl (i32x4.bitmask (f32x4.gt (v128.load (local.get $data)) (v128.load (local.get $c)))) (local.get $k))))
                (local.set $data (i32.add (local.get $data) (i32.const 16)))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                (br $four)))
            (i32.store (local.get $codes) (local.get $x))
            (local.set $codes (i32.add (local.get $codes) (i32.const 4)))
            (br $word)))
        (br $row))))

  ;; Dot product of two float rows of n16 × 16 floats. Four independent sums, so the additions
  ;; pipeline instead of each waiting on the last.
  (func $dot (param $p i32) (param $q i32) (param $n16 i32) (result f32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (block $end
      (loop $block
        (br_if $end (i32.eqz (local.get $n16)))
        (local.set $a (f32x4.add (local.get $a) (f32x4.mul (v128.load (local.get $p)) (v128.load (local.get $q)))))
        (local.set $b (f32x4.add (local.get $b) (f32x4.mul (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $q)))))
        (local.set $c (f32x4.add (local.get $c) (f32x4.mul (v128.load offset=32 (local.get $p)) (v128.load offset=32 (local.get $q)))))
        (local.set $d (f32x4.add (local.get $d) (f32x4.mul (v128.load offset=48 (local.get $p)) (v128.load offset=48 (local.get $q)))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (local.set $q (i32.add (local.get $q) (i32.const 64)))
        (local.set $n16 (i32.sub (local.get $n16) (i32.const 1)))
        (br $block)))
    (local.set $a (f32x4.add (f32x4.add (local.get $a) (local.get $b)) (f32x4.add (local.get $c) (local.get $d))))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a)))
      (f32.add (f32x4.extract_lane 2 (local.get $a)) (f32x4.extract_lane 3 (local.get $a)))))

  ;; dots(data, dims, list, count, query, out): out[i] (f32) = row list[i] · query, dims a multiple of 16.
  (func (export "dots") (param $data i32) (param $dims i32) (param $list i32) (param $count i32) (param $query i32) (param $out i32)
    (local $end i32) (local $stride i32) (local $n16 i32)
    (local.set $stride (i32.shl (local.get $dims) (i32.const 2)))
    (local.set $n16 (i32.shr_u (local.get $dims) (i32.const 4)))
    (local.set $end (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $list) (local.get $end)))
        (f32.store (local.get $out)
          (call $dot
            (i32.add (local.get $data) (i32.mul (i32.load (local.get $list)) (local.get $stride)))
            (local.get $query) (local.get $n16)))
        (local.set $list (i32.add (local.get $list) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $each))))

  ;; scan(data, dims, rows, query, out): out[r] (f32) = row r · query for every row.
  (func (export "scan") (param $data i32) (param $dims i32) (param $rows i32) (param $query i32) (param $out i32)
    (local $end i32) (local $stride i32) (local $n16 i32)
    (local.set $stride (i32.shl (local.get $dims) (i32.const 2)))
    (local.set $n16 (i32.shr_u (local.get $dims) (i32.const 4)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $rows) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (f32.store (local.get $out) (call $dot (local.get $data) (local.get $query) (local.get $n16)))
        (local.set $data (i32.add (local.get $data) (local.get $stride)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $each)))))
