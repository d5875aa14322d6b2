;; Vector search kernels with WASM SIMD, run on rows that live in the module's imported memory
;; (see vectorArena.ts). Source of kernelsWasm.ts: `npx tsx scripts/build-wasm.ts` regenerates it.
(module
  (import "env" "memory" (memory 1))

;; estimate(codes, blocks, bytes, lut, offset, out): for each block of 16 rows, out[16b + i] (u16) =
  ;; offset - (sum over code bytes j of lut[j].low[byte & 15] + lut[j].high[byte >> 4]) for row 16b + i.
  ;; Codes are kept 16 rows to a block, byte j of the 16 rows side by side (block b at codes + 16·bytes·b,
  ;; byte j at + 16j), so one swizzle looks up a table entry for 16 rows at once. lut holds 32 bytes
  ;; per code byte (16 signed entries for the low nibble, 16 for the high one), each within ±31, so
  ;; the four entries of two code bytes add up within an i8 lane before widening; bytes is even.
  (func (export "estimate") (param $codes i32) (param $blocks i32) (param $bytes i32) (param $lut i32) (param $offset i32) (param $out i32)
    (local $end i32) (local $t i32) (local $tEnd i32) (local $v v128) (local $w v128) (local $s v128)
    (local $lo v128) (local $hi v128) (local $m v128) (local $o v128)
    (local.set $m (i8x16.splat (i32.const 15)))
    (local.set $o (i16x8.splat (local.get $offset)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $blocks) (i32.const 5))))
    (local.set $tEnd (i32.add (local.get $lut) (i32.shl (local.get $bytes) (i32.const 5))))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $lo (v128.const i64x2 0 0))
        (local.set $hi (v128.const i64x2 0 0))
        (local.set $t (local.get $lut))
        (block $bd
          (loop $pair
            (br_if $bd (i32.ge_u (local.get $t) (local.get $tEnd)))
            (local.set $v (v128.load (local.get $codes)))
            (local.set $w (v128.load offset=16 (local.get $codes)))
            (local.set $s
              (i8x16.add
                (i8x16.add
                  (i8x16.swizzle (v128.load (local.get $t)) (v128.and (local.get $v) (local.get $m)))
                  (i8x16.swizzle (v128.load offset=16 (local.get $t)) (i8x16.shr_u (local.get $v) (i32.const 4))))
                (i8x16.add
                  (i8x16.swizzle (v128.load offset=32 (local.get $t)) (v128.and (local.get $w) (local.get $m)))
                  (i8x16.swizzle (v128.load offset=48 (local.get $t)) (i8x16.shr_u (local.get $w) (i32.const 4))))))
            (local.set $lo (i16x8.add (local.get $lo) (i16x8.extend_low_i8x16_s (local.get $s))))
            (local.set $hi (i16x8.add (local.get $hi) (i16x8.extend_high_i8x16_s (local.get $s))))
            (local.set $codes (i32.add (local.get $codes) (i32.const 32)))
            (local.set $t (i32.add (local.get $t) (i32.const 64)))
            (br $pair)))
        (v128.store (local.get $out) (i16x8.sub (local.get $o) (local.get $lo)))
        (v128.store offset=16 (local.get $out) (i16x8.sub (local.get $o) (local.get $hi)))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (br $block))))

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

  ;; encode(data, dims, from, to, centre, codes): the code of each row r in [from, to), laid out as
  ;; `estimate` reads it: bit k of code byte j is set when row[8j + k] > centre[8j + k]; dims a multiple of 8.
  (func (export "encode") (param $data i32) (param $dims i32) (param $from i32) (param $to i32) (param $centre i32) (param $codes i32)
    (local $r i32) (local $stride i32) (local $p i32) (local $c i32) (local $cEnd i32) (local $out i32)
    (local.set $stride (i32.shl (i32.shr_u (local.get $dims) (i32.const 3)) (i32.const 4)))
    (local.set $cEnd (i32.add (local.get $centre) (i32.shl (local.get $dims) (i32.const 2))))
    (local.set $p (i32.add (local.get $data) (i32.mul (local.get $from) (i32.shl (local.get $dims) (i32.const 2)))))
    (local.set $r (local.get $from))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $to)))
        (local.set $out (i32.add (i32.add (local.get $codes) (i32.mul (i32.shr_u (local.get $r) (i32.const 4)) (local.get $stride)))
          (i32.and (local.get $r) (i32.const 15))))
        (local.set $c (local.get $centre))
        (block $rd
          (loop $byte
            (br_if $rd (i32.ge_u (local.get $c) (local.get $cEnd)))
            (i32.store8 (local.get $out)
              (i32.or
                (i32x4.bitmask (f32x4.gt (v128.load (local.get $p)) (v128.load (local.get $c))))
                (i32.shl (i32x4.bitmask (f32x4.gt (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $c)))) (i32.const 4))))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (local.set $c (i32.add (local.get $c) (i32.const 32)))
            (br $byte)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

;; quantize(data, dims, from, to, low, inv, out): the fine code of each row r in [from, to): 4 bits
  ;; per dimension, u = clamp(floor((x - low) · inv), 0, 15); row r's code at out + r·dims/2, each 16
  ;; bytes covering 32 dimensions, byte i = u[i] | u[16 + i] << 4; dims a multiple of 32.
  (func (export "quantize") (param $data i32) (param $dims i32) (param $from i32) (param $to i32) (param $low i32) (param $inv i32) (param $out i32)
    (local $p i32) (local $end i32) (local $l i32) (local $i i32) (local $lEnd i32) (local $a v128) (local $b v128) (local $m v128)
    (local.set $m (i8x16.splat (i32.const 15)))
    (local.set $p (i32.add (local.get $data) (i32.mul (local.get $from) (i32.shl (local.get $dims) (i32.const 2)))))
    (local.set $end (i32.add (local.get $data) (i32.mul (local.get $to) (i32.shl (local.get $dims) (i32.const 2)))))
    (local.set $out (i32.add (local.get $out) (i32.mul (local.get $from) (i32.shr_u (local.get $dims) (i32.const 1)))))
    (local.set $lEnd (i32.add (local.get $low) (i32.shl (local.get $dims) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $l (local.get $low))
        (local.set $i (local.get $inv))
        (block $rd
          (loop $chunk
            (br_if $rd (i32.ge_u (local.get $l) (local.get $lEnd)))
            ;; Dimensions 0-15 of the chunk, then 16-31, each narrowed i32 → i16 → u8 (negatives to 0).
            (local.set $a (i8x16.narrow_i16x8_u
              (i16x8.narrow_i32x4_s
                (i32x4.trunc_sat_f32x4_s (f32x4.mul (f32x4.sub (v128.load (local.get $p)) (v128.load (local.get $l))) (v128.load (local.get $i))))
                (i32x4.trunc_sat_f32x4_s (f32x4.mul (f32x4.sub (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $l))) (v128.load offset=16 (local.get $i)))))
              (i16x8.narrow_i32x4_s
                (i32x4.trunc_sat_f32x4_s (f32x4.mul (f32x4.sub (v128.load offset=32 (local.get $p)) (v128.load offset=32 (local.get $l))) (v128.load offset=32 (local.get $i))))
                (i32x4.trunc_sat_f32x4_s (f32x4.mul (f32x4.sub (v128.load offset=48 (local.get $p)) (v128.load offset=48 (local.get $l))) (v128.load offset=48 (local.get $i)))))))
            (local.set $b (i8x16.narrow_i16x8_u
              (i16x8.narrow_i32x4_s
                (i32x4.trunc_sat_f32x4_s (f32x4.mul (f32x4.sub (v128.load offset=64 (local.get $p)) (v128.load offset=64 (local.get $l))) (v128.load offset=64 (local.get $i))))
                (i32x4.trunc_sat_f32x4_s (f32x4.mul (f32x4.sub (v128.load offset=80 (local.get $p)) (v128.load offset=80 (local.get $l))) (v128.load offset=80 (local.get $i)))))
              (i16x8.narrow_i32x4_s
                (i32x4.trunc_sat_f32x4_s (f32x4.mul (f32x4.sub (v128.load offset=96 (local.get $p)) (v128.load offset=96 (local.get $l))) (v128.load offset=96 (local.get $i))))
                (i32x4.trunc_sat_f32x4_s (f32x4.mul (f32x4.sub (v128.load offset=112 (local.get $p)) (v128.load offset=112 (local.get $l))) (v128.load offset=112 (local.get $i)))))))
            (v128.store (local.get $out) (v128.or (i8x16.min_u (local.get $a) (local.get $m)) (i8x16.shl (i8x16.min_u (local.get $b) (local.get $m)) (i32.const 4))))
            (local.set $p (i32.add (local.get $p) (i32.const 128)))
            (local.set $l (i32.add (local.get $l) (i32.const 128)))
            (local.set $i (i32.add (local.get $i) (i32.const 128)))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (br $chunk)))
        (br $row))))

;; fine(codes, dims, list, count, weights, out): out[i] (i32) = Σ_j weights[j] (i16) · u_j over the
  ;; fine code of row list[i] (see quantize); dims a multiple of 32. Four rows at a time, as in dot4:
  ;; the rows are scattered, and four of them in flight wait for memory together instead of in turn.
  (func (export "fine") (param $codes i32) (param $dims i32) (param $list i32) (param $count i32) (param $weights i32) (param $out i32)
    (local $end i32) (local $stride i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $w i32) (local $wEnd i32)
    (local.set $stride (i32.shr_u (local.get $dims) (i32.const 1)))
    (local.set $wEnd (i32.add (local.get $weights) (i32.shl (local.get $dims) (i32.const 1))))
    (local.set $end (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $list) (local.get $end)))
        ;; Past the end of the list, the last row stands in (its results land beyond `count`, unread).
        (local.set $a (i32.add (local.get $codes) (i32.mul (i32.load (local.get $list)) (local.get $stride))))
        (local.set $b (select (i32.add (local.get $codes) (i32.mul (i32.load offset=4 (local.get $list)) (local.get $stride))) (local.get $a)
          (i32.lt_u (i32.add (local.get $list) (i32.const 4)) (local.get $end))))
        (local.set $c (select (i32.add (local.get $codes) (i32.mul (i32.load offset=8 (local.get $list)) (local.get $stride))) (local.get $a)
          (i32.lt_u (i32.add (local.get $list) (i32.const 8)) (local.get $end))))
        (local.set $d (select (i32.add (local.get $codes) (i32.mul (i32.load offset=12 (local.get $list)) (local.get $stride))) (local.get $a)
          (i32.lt_u (i32.add (local.get $list) (i32.const 12)) (local.get $end))))
        (call $fine4 (local.get $a) (local.get $b) (local.get $c) (local.get $d) (local.get $weights) (local.get $wEnd) (local.get $out))
        (local.set $list (i32.add (local.get $list) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $each))))

  ;; One step of `fine` for four rows: a 16-byte chunk of each row's code (32 dimensions) against the weights.
  (func $chunk (param $p i32) (param $w i32) (result v128)
    (local $lo v128) (local $hi v128)
    (local.set $lo (v128.and (v128.load (local.get $p)) (i8x16.splat (i32.const 15))))
    (local.set $hi (i8x16.shr_u (v128.load (local.get $p)) (i32.const 4)))
    (i32x4.add
      (i32x4.add
        (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $lo)) (v128.load (local.get $w)))
        (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $lo)) (v128.load offset=16 (local.get $w))))
      (i32x4.add
        (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $hi)) (v128.load offset=32 (local.get $w)))
        (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $hi)) (v128.load offset=48 (local.get $w))))))

  (func $fine4 (param $a i32) (param $b i32) (param $c i32) (param $d i32) (param $w i32) (param $wEnd i32) (param $out i32)
    (local $sa v128) (local $sb v128) (local $sc v128) (local $sd v128)
    (block $end
      (loop $step
        (br_if $end (i32.ge_u (local.get $w) (local.get $wEnd)))
        (local.set $sa (i32x4.add (local.get $sa) (call $chunk (local.get $a) (local.get $w))))
        (local.set $sb (i32x4.add (local.get $sb) (call $chunk (local.get $b) (local.get $w))))
        (local.set $sc (i32x4.add (local.get $sc) (call $chunk (local.get $c) (local.get $w))))
        (local.set $sd (i32x4.add (local.get $sd) (call $chunk (local.get $d) (local.get $w))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $w (i32.add (local.get $w) (i32.const 64)))
        (br $step)))
    ;; Horizontal sums, as one vector: out = [Σsa, Σsb, Σsc, Σsd].
    (local.set $sa (i32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $sa) (local.get $sb))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $sa) (local.get $sb))))
    (local.set $sc (i32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $sc) (local.get $sd))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $sc) (local.get $sd))))
    (v128.store (local.get $out) (i32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $sa) (local.get $sc))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $sa) (local.get $sc)))))

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

;; dot4(a, b, c, d, q, n16, out): out[0..3] (f32) = rows a, b, c, d · q. Four rows at once: they
  ;; lie far apart in memory, and four streams of loads in flight hide more of the wait for memory
  ;; than one (candidates are scattered rows, so the dot products wait on memory, not arithmetic).
  (func $dot4 (param $a i32) (param $b i32) (param $c i32) (param $d i32) (param $q i32) (param $n16 i32) (param $out i32)
    (local $sa v128) (local $sb v128) (local $sc v128) (local $sd v128)
    (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128)
    (block $end
      (loop $block
        (br_if $end (i32.eqz (local.get $n16)))
        (local.set $q0 (v128.load (local.get $q)))
        (local.set $q1 (v128.load offset=16 (local.get $q)))
        (local.set $q2 (v128.load offset=32 (local.get $q)))
        (local.set $q3 (v128.load offset=48 (local.get $q)))
        (local.set $sa (f32x4.add (local.get $sa) (f32x4.add
          (f32x4.add (f32x4.mul (v128.load (local.get $a)) (local.get $q0)) (f32x4.mul (v128.load offset=16 (local.get $a)) (local.get $q1)))
          (f32x4.add (f32x4.mul (v128.load offset=32 (local.get $a)) (local.get $q2)) (f32x4.mul (v128.load offset=48 (local.get $a)) (local.get $q3))))))
        (local.set $sb (f32x4.add (local.get $sb) (f32x4.add
          (f32x4.add (f32x4.mul (v128.load (local.get $b)) (local.get $q0)) (f32x4.mul (v128.load offset=16 (local.get $b)) (local.get $q1)))
          (f32x4.add (f32x4.mul (v128.load offset=32 (local.get $b)) (local.get $q2)) (f32x4.mul (v128.load offset=48 (local.get $b)) (local.get $q3))))))
        (local.set $sc (f32x4.add (local.get $sc) (f32x4.add
          (f32x4.add (f32x4.mul (v128.load (local.get $c)) (local.get $q0)) (f32x4.mul (v128.load offset=16 (local.get $c)) (local.get $q1)))
          (f32x4.add (f32x4.mul (v128.load offset=32 (local.get $c)) (local.get $q2)) (f32x4.mul (v128.load offset=48 (local.get $c)) (local.get $q3))))))
        (local.set $sd (f32x4.add (local.get $sd) (f32x4.add
          (f32x4.add (f32x4.mul (v128.load (local.get $d)) (local.get $q0)) (f32x4.mul (v128.load offset=16 (local.get $d)) (local.get $q1)))
          (f32x4.add (f32x4.mul (v128.load offset=32 (local.get $d)) (local.get $q2)) (f32x4.mul (v128.load offset=48 (local.get $d)) (local.get $q3))))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (local.set $d (i32.add (local.get $d) (i32.const 64)))
        (local.set $q (i32.add (local.get $q) (i32.const 64)))
        (local.set $n16 (i32.sub (local.get $n16) (i32.const 1)))
        (br $block)))
    ;; Horizontal sums of the four accumulators, as one vector: out = [Σsa, Σsb, Σsc, Σsd].
    (local.set $sa (f32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $sa) (local.get $sb))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $sa) (local.get $sb))))
    (local.set $sc (f32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $sc) (local.get $sd))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $sc) (local.get $sd))))
    (v128.store (local.get $out) (f32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $sa) (local.get $sc))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $sa) (local.get $sc)))))

  ;; dots(data, dims, list, count, query, out): out[i] (f32) = row list[i] · query, dims a multiple of 16.
  (func (export "dots") (param $data i32) (param $dims i32) (param $list i32) (param $count i32) (param $query i32) (param $out i32)
    (local $end i32) (local $end4 i32) (local $stride i32) (local $n16 i32)
    (local.set $stride (i32.shl (local.get $dims) (i32.const 2)))
    (local.set $n16 (i32.shr_u (local.get $dims) (i32.const 4)))
    (local.set $end (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $list) (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 2))))
    (block $fours
      (loop $each4
        (br_if $fours (i32.ge_u (local.get $list) (local.get $end4)))
        (call $dot4
          (i32.add (local.get $data) (i32.mul (i32.load (local.get $list)) (local.get $stride)))
          (i32.add (local.get $data) (i32.mul (i32.load offset=4 (local.get $list)) (local.get $stride)))
          (i32.add (local.get $data) (i32.mul (i32.load offset=8 (local.get $list)) (local.get $stride)))
          (i32.add (local.get $data) (i32.mul (i32.load offset=12 (local.get $list)) (local.get $stride)))
          (local.get $query) (local.get $n16) (local.get $out))
        (local.set $list (i32.add (local.get $list) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $each4)))
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
