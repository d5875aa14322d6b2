;; Vector search kernels with WASM SIMD, run on rows that live in the module's imported memory
;; (see vectorArena.ts). Source of kernelsWasm.ts: `npx tsx scripts/build-wasm.ts` regenerates it.
(module
  (import "env" "memory" (memory 1))

;; estimate(codes, blocks, bytes, lut, top, out, skip, acc): for each block of 16 rows, out[16b + i] (u16) =
  ;; top - (sum over code bytes j of lut[j].low[byte & 15] + lut[j].high[byte >> 4]) for row 16b + i,
  ;; added to what out held when acc is set (wrapping, as u16). Codes are kept 16 rows to a block, byte j
  ;; of the 16 rows side by side (block b at codes + (16·bytes + skip)·b, byte j at + 16j), so one
  ;; swizzle looks up a table entry for 16 rows at once; skip > 0 reads only some of each block's code
  ;; bytes (a first part of every code, or the rest of it added to that part's distances). lut holds 32 bytes
  ;; per code byte (16 unsigned entries for the low nibble, 16 for the high one), each at most 62, so
  ;; the four entries of two code bytes add up within a u8 lane; bytes is even. The u8 sums are added
  ;; as u16 lanes (each holding an even row's sum plus 256 times the next odd row's, wrapping) and,
  ;; shifted, as the odd rows' alone; the even rows' come out as the difference: three operations a
  ;; pair of code bytes instead of widening both halves (a fifth less time at 100k rows, Node).
  ;; Every swizzle index is a nibble (below 16), so kernelsWasm.ts's relaxed copy of this function,
  ;; where i8x16.relaxed_swizzle stands for i8x16.swizzle, computes the same.
  (func (export "estimate") (param $codes i32) (param $blocks i32) (param $bytes i32) (param $lut i32) (param $top i32) (param $out i32) (param $skip i32) (param $acc i32)
    (local $end i32) (local $t i32) (local $tEnd i32) (local $v v128) (local $w v128) (local $s v128)
    (local $even v128) (local $odd v128) (local $m v128) (local $o v128)
    (local.set $m (i8x16.splat (i32.const 15)))
    (local.set $o (i16x8.splat (local.get $top)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $blocks) (i32.const 5))))
    (local.set $tEnd (i32.add (local.get $lut) (i32.shl (local.get $bytes) (i32.const 5))))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $even (v128.const i64x2 0 0))
        (local.set $odd (v128.const i64x2 0 0))
        (local.set $t (local.get $lut))
        (block $bd
          (loop $pair
            (br_if $bd (i32.ge_u (local.get $t) (local.get $tEnd)))
            (local.set $v (v128.load (local.get $codes)))
            (local.set $w (v128.load offset=16 (local.get $codes)))
            ;; High nibbles by a 16-bit shift and the mask: one operation fewer than i8x16.shr_u.
            (local.set $s
              (i8x16.add
                (i8x16.add
                  (i8x16.swizzle (v128.load (local.get $t)) (v128.and (local.get $v) (local.get $m)))
                  (i8x16.swizzle (v128.load offset=16 (local.get $t)) (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $m))))
                (i8x16.add
                  (i8x16.swizzle (v128.load offset=32 (local.get $t)) (v128.and (local.get $w) (local.get $m)))
                  (i8x16.swizzle (v128.load offset=48 (local.get $t)) (v128.and (i16x8.shr_u (local.get $w) (i32.const 4)) (local.get $m))))))
            (local.set $even (i16x8.add (local.get $even) (local.get $s)))
            (local.set $odd (i16x8.add (local.get $odd) (i16x8.shr_u (local.get $s) (i32.const 8))))
            (local.set $codes (i32.add (local.get $codes) (i32.const 32)))
            (local.set $t (i32.add (local.get $t) (i32.const 64)))
            (br $pair)))
        (local.set $even (i16x8.sub (local.get $o) (i16x8.sub (local.get $even) (i16x8.shl (local.get $odd) (i32.const 8)))))
        (local.set $odd (i16x8.sub (local.get $o) (local.get $odd)))
        ;; Rows 0, 2, … and 1, 3, … back in order.
        (local.set $v (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $even) (local.get $odd)))
        (local.set $w (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $even) (local.get $odd)))
        (if (local.get $acc)
          (then
            (local.set $v (i16x8.add (local.get $v) (v128.load (local.get $out))))
            (local.set $w (i16x8.add (local.get $w) (v128.load offset=16 (local.get $out))))))
        (v128.store (local.get $out) (local.get $v))
        (v128.store offset=16 (local.get $out) (local.get $w))
        (local.set $codes (i32.add (local.get $codes) (local.get $skip)))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (br $block))))

;; nearest(codes, blocks, bytes, lut, offset, best, arg, id): per row the distance offset - (the sum of
  ;; its signed table entries, each within ±31), as `estimate` computes it from the same table plus 31;
  ;; but instead of writing the distances keeps, per row, the smallest seen so far (best, u16) and the id
  ;; it came with (arg, u16): where this table's distance is smaller, best and arg take it and `id`.
  ;; Assigning rows to lists calls it once per list centroid (as the table), all tables on one scale.
  (func (export "nearest") (param $codes i32) (param $blocks i32) (param $bytes i32) (param $lut i32) (param $offset i32)
    (param $best i32) (param $arg i32) (param $id i32)
    (local $end i32) (local $t i32) (local $tEnd i32) (local $v v128) (local $w v128) (local $s v128)
    (local $lo v128) (local $hi v128) (local $m v128) (local $o v128) (local $ids v128) (local $d v128) (local $b v128) (local $lt v128)
    (local.set $m (i8x16.splat (i32.const 15)))
    (local.set $o (i16x8.splat (local.get $offset)))
    (local.set $ids (i16x8.splat (local.get $id)))
    (local.set $end (i32.add (local.get $best) (i32.shl (local.get $blocks) (i32.const 5))))
    (local.set $tEnd (i32.add (local.get $lut) (i32.shl (local.get $bytes) (i32.const 5))))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $best) (local.get $end)))
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
        (local.set $d (i16x8.sub (local.get $o) (local.get $lo)))
        (local.set $b (v128.load (local.get $best)))
        (local.set $lt (i16x8.lt_u (local.get $d) (local.get $b)))
        (v128.store (local.get $best) (v128.bitselect (local.get $d) (local.get $b) (local.get $lt)))
        (v128.store (local.get $arg) (v128.bitselect (local.get $ids) (v128.load (local.get $arg)) (local.get $lt)))
        (local.set $d (i16x8.sub (local.get $o) (local.get $hi)))
        (local.set $b (v128.load offset=16 (local.get $best)))
        (local.set $lt (i16x8.lt_u (local.get $d) (local.get $b)))
        (v128.store offset=16 (local.get $best) (v128.bitselect (local.get $d) (local.get $b) (local.get $lt)))
        (v128.store offset=16 (local.get $arg) (v128.bitselect (local.get $ids) (v128.load offset=16 (local.get $arg)) (local.get $lt)))
        (local.set $best (i32.add (local.get $best) (i32.const 32)))
        (local.set $arg (i32.add (local.get $arg) (i32.const 32)))
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

  ;; select(distance, rows, cut, list, most) -> count: writes to list (i32) each row at distance <= cut,
  ;; stopping once more than `most` are listed (then the count is above `most`, by up to 8).
  ;; Eight distances compared at once: a cut keeps a few rows in a hundred, so most groups of eight
  ;; hold none and cost one comparison.
  (func (export "select") (param $dist i32) (param $rows i32) (param $cut i32) (param $list i32) (param $most i32) (result i32)
    (local $r i32) (local $out i32) (local $end8 i32) (local $c v128) (local $stop i32)
    (local.set $out (local.get $list))
    (local.set $c (i16x8.splat (local.get $cut)))
    (local.set $end8 (i32.and (local.get $rows) (i32.const -8)))
    ;; Where the list goes past `most` (in bytes; `most` below 2^29).
    (local.set $stop (i32.add (local.get $list) (i32.shl (local.get $most) (i32.const 2))))
    (block $done
      (block $done8
        (loop $each8
          (br_if $done8 (i32.ge_u (local.get $r) (local.get $end8)))
          (if (v128.any_true (i16x8.le_u (v128.load (i32.add (local.get $dist) (i32.shl (local.get $r) (i32.const 1)))) (local.get $c)))
            (then
              (local.set $out (call $select8 (local.get $dist) (local.get $r) (i32.add (local.get $r) (i32.const 8)) (local.get $cut) (local.get $out)))
              (br_if $done (i32.gt_u (local.get $out) (local.get $stop)))))
          (local.set $r (i32.add (local.get $r) (i32.const 8)))
          (br $each8)))
      (local.set $out (call $select8 (local.get $dist) (local.get $r) (local.get $rows) (local.get $cut) (local.get $out))))
    (i32.shr_u (i32.sub (local.get $out) (local.get $list)) (i32.const 2)))

  ;; Rows [r, end) of `select`, one at a time; returns where the list goes on.
  (func $select8 (param $dist i32) (param $r i32) (param $end i32) (param $cut i32) (param $out i32) (result i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $r) (local.get $end)))
        ;; Branch-free: always write, advance only for a kept row.
        (i32.store (local.get $out) (local.get $r))
        (local.set $out (i32.add (local.get $out)
          (i32.shl (i32.le_u (i32.load16_u (i32.add (local.get $dist) (i32.shl (local.get $r) (i32.const 1)))) (local.get $cut)) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each)))
    (local.get $out))

;; quantize(src, dims, rows, centre, inv, scales, out, res): the int8 code of each of `rows` float rows
  ;; (row i at src + 4·dims·i): y_j = (x_j - centre_j) · inv_j, then u_j = nearest(y_j · k), k = 127 / max|y|,
  ;; as a signed byte at out + dims·i, and scales[i] (f32) = max|y| / 127, so y ≈ scales[i] · u. A
  ;; scale per row as well as per dimension: no value is ever clipped, whatever the centre. The
  ;; rounding left over, y_j · k - u_j in [-½, ½], in 2 bits: v_j = min(3, trunc((y_j · k - u_j + ½) · 4)),
  ;; at res + dims/4 · i, 16 bytes per 64 dimensions, byte t holding dimensions t, 16 + t, 32 + t and
  ;; 48 + t from its low bits up. dims a multiple of 64.
  (func (export "quantize") (param $src i32) (param $dims i32) (param $rows i32) (param $centre i32) (param $inv i32) (param $scales i32) (param $out i32) (param $res i32)
    (local $end i32) (local $p i32) (local $c i32) (local $i i32) (local $cEnd i32) (local $m v128) (local $k v128) (local $max f32)
    (local.set $end (i32.add (local.get $src) (i32.mul (local.get $rows) (i32.shl (local.get $dims) (i32.const 2)))))
    (local.set $cEnd (i32.add (local.get $centre) (i32.shl (local.get $dims) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $m (v128.const i64x2 0 0))
        (local.set $p (local.get $src))
        (local.set $c (local.get $centre))
        (local.set $i (local.get $inv))
        (block $md
          (loop $each
            (br_if $md (i32.ge_u (local.get $c) (local.get $cEnd)))
            (local.set $m (f32x4.max (local.get $m)
              (f32x4.abs (f32x4.mul (f32x4.sub (v128.load (local.get $p)) (v128.load (local.get $c))) (v128.load (local.get $i))))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $each)))
        (local.set $max (f32.max
          (f32.max (f32x4.extract_lane 0 (local.get $m)) (f32x4.extract_lane 1 (local.get $m)))
          (f32.max (f32x4.extract_lane 2 (local.get $m)) (f32x4.extract_lane 3 (local.get $m)))))
        (f32.store (local.get $scales) (f32.div (local.get $max) (f32.const 127)))
        (local.set $k (f32x4.splat (select (f32.div (f32.const 127) (local.get $max)) (f32.const 0) (f32.gt (local.get $max) (f32.const 0)))))
        (local.set $p (local.get $src))
        (local.set $c (local.get $centre))
        (local.set $i (local.get $inv))
        (block $qd
          (loop $each
            (br_if $qd (i32.ge_u (local.get $c) (local.get $cEnd)))
            (v128.store (local.get $out) (call $codes16 (local.get $p) (local.get $c) (local.get $i) (local.get $k)))
            (v128.store offset=16 (local.get $out) (call $codes16 (i32.add (local.get $p) (i32.const 64)) (i32.add (local.get $c) (i32.const 64)) (i32.add (local.get $i) (i32.const 64)) (local.get $k)))
            (v128.store offset=32 (local.get $out) (call $codes16 (i32.add (local.get $p) (i32.const 128)) (i32.add (local.get $c) (i32.const 128)) (i32.add (local.get $i) (i32.const 128)) (local.get $k)))
            (v128.store offset=48 (local.get $out) (call $codes16 (i32.add (local.get $p) (i32.const 192)) (i32.add (local.get $c) (i32.const 192)) (i32.add (local.get $i) (i32.const 192)) (local.get $k)))
            (v128.store (local.get $res) (v128.or
              (v128.or (call $rest16 (local.get $p) (local.get $c) (local.get $i) (local.get $k))
                (i8x16.shl (call $rest16 (i32.add (local.get $p) (i32.const 64)) (i32.add (local.get $c) (i32.const 64)) (i32.add (local.get $i) (i32.const 64)) (local.get $k)) (i32.const 2)))
              (v128.or (i8x16.shl (call $rest16 (i32.add (local.get $p) (i32.const 128)) (i32.add (local.get $c) (i32.const 128)) (i32.add (local.get $i) (i32.const 128)) (local.get $k)) (i32.const 4))
                (i8x16.shl (call $rest16 (i32.add (local.get $p) (i32.const 192)) (i32.add (local.get $c) (i32.const 192)) (i32.add (local.get $i) (i32.const 192)) (local.get $k)) (i32.const 6)))))
            (local.set $p (i32.add (local.get $p) (i32.const 256)))
            (local.set $c (i32.add (local.get $c) (i32.const 256)))
            (local.set $i (i32.add (local.get $i) (i32.const 256)))
            (local.set $out (i32.add (local.get $out) (i32.const 64)))
            (local.set $res (i32.add (local.get $res) (i32.const 16)))
            (br $each)))
        (local.set $src (local.get $p))
        (local.set $scales (i32.add (local.get $scales) (i32.const 4)))
        (br $row))))

  ;; Four dimensions of `quantize`: (x - centre) · inv · k.
  (func $scaled (param $p i32) (param $c i32) (param $i i32) (param $k v128) (result v128)
    (f32x4.mul (f32x4.mul (f32x4.sub (v128.load (local.get $p)) (v128.load (local.get $c))) (v128.load (local.get $i))) (local.get $k)))

  ;; Sixteen dimensions of `quantize`: their codes u as signed bytes.
  (func $codes16 (param $p i32) (param $c i32) (param $i i32) (param $k v128) (result v128)
    (i8x16.narrow_i16x8_s
      (i16x8.narrow_i32x4_s
        (i32x4.trunc_sat_f32x4_s (f32x4.nearest (call $scaled (local.get $p) (local.get $c) (local.get $i) (local.get $k))))
        (i32x4.trunc_sat_f32x4_s (f32x4.nearest (call $scaled (i32.add (local.get $p) (i32.const 16)) (i32.add (local.get $c) (i32.const 16)) (i32.add (local.get $i) (i32.const 16)) (local.get $k)))))
      (i16x8.narrow_i32x4_s
        (i32x4.trunc_sat_f32x4_s (f32x4.nearest (call $scaled (i32.add (local.get $p) (i32.const 32)) (i32.add (local.get $c) (i32.const 32)) (i32.add (local.get $i) (i32.const 32)) (local.get $k))))
        (i32x4.trunc_sat_f32x4_s (f32x4.nearest (call $scaled (i32.add (local.get $p) (i32.const 48)) (i32.add (local.get $c) (i32.const 48)) (i32.add (local.get $i) (i32.const 48)) (local.get $k)))))))

  ;; Four dimensions' 2-bit rests: min(3, trunc((y · k - nearest(y · k) + ½) · 4)) as i32 lanes (min taken by the caller's narrowing).
  (func $rest4 (param $p i32) (param $c i32) (param $i i32) (param $k v128) (result v128)
    (local $y v128)
    (local.set $y (call $scaled (local.get $p) (local.get $c) (local.get $i) (local.get $k)))
    (i32x4.trunc_sat_f32x4_s (f32x4.mul
      (f32x4.add (f32x4.sub (local.get $y) (f32x4.nearest (local.get $y))) (f32x4.splat (f32.const 0.5)))
      (f32x4.splat (f32.const 4)))))

  ;; Sixteen dimensions' 2-bit rests as bytes (0 … 3).
  (func $rest16 (param $p i32) (param $c i32) (param $i i32) (param $k v128) (result v128)
    (i8x16.min_u (i8x16.splat (i32.const 3)) (i8x16.narrow_i16x8_u
      (i16x8.narrow_i32x4_s
        (call $rest4 (local.get $p) (local.get $c) (local.get $i) (local.get $k))
        (call $rest4 (i32.add (local.get $p) (i32.const 16)) (i32.add (local.get $c) (i32.const 16)) (i32.add (local.get $i) (i32.const 16)) (local.get $k)))
      (i16x8.narrow_i32x4_s
        (call $rest4 (i32.add (local.get $p) (i32.const 32)) (i32.add (local.get $c) (i32.const 32)) (i32.add (local.get $i) (i32.const 32)) (local.get $k))
        (call $rest4 (i32.add (local.get $p) (i32.const 48)) (i32.add (local.get $c) (i32.const 48)) (i32.add (local.get $i) (i32.const 48)) (local.get $k))))))

  ;; signs(codes8, dims, from, to, bits): the bit code of each row r in [from, to) from its int8 code
  ;; (bit k of code byte j set when u[8j + k] > 0), laid out as `estimate` reads it; dims a multiple of 16.
  (func (export "signs") (param $codes i32) (param $dims i32) (param $from i32) (param $to i32) (param $bits i32)
    (local $r i32) (local $stride i32) (local $p i32) (local $pEnd i32) (local $out i32) (local $mask i32)
    (local.set $stride (i32.shl (i32.shr_u (local.get $dims) (i32.const 3)) (i32.const 4)))
    (local.set $r (local.get $from))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $to)))
        (local.set $out (i32.add (i32.add (local.get $bits) (i32.mul (i32.shr_u (local.get $r) (i32.const 4)) (local.get $stride)))
          (i32.and (local.get $r) (i32.const 15))))
        (local.set $p (i32.add (local.get $codes) (i32.mul (local.get $r) (local.get $dims))))
        (local.set $pEnd (i32.add (local.get $p) (local.get $dims)))
        (block $rd
          (loop $each
            (br_if $rd (i32.ge_u (local.get $p) (local.get $pEnd)))
            (local.set $mask (i8x16.bitmask (i8x16.gt_s (v128.load (local.get $p)) (v128.const i64x2 0 0))))
            (i32.store8 (local.get $out) (local.get $mask))
            (i32.store8 offset=16 (local.get $out) (i32.shr_u (local.get $mask) (i32.const 8)))
            (local.set $out (i32.add (local.get $out) (i32.const 32)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $each)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; dots8(codes8, dims, list, count, weights, scales, base, unit, out): out[i] (f32) = base + unit ·
  ;; scales[r] · Σ_j weights[j] (i16) · u_j over the int8 code u of row r = list[i]; dims a multiple of
  ;; 16. Eight rows at a time: the rows are scattered, and eight of them in flight wait for memory
  ;; together instead of in turn (a quarter less time than four for 900 rows of 100k, Node). Past the
  ;; end of the list the first row of the eight stands in (its results land beyond `count`, unread).
  ;; Each cache line of the rows two groups ahead is read first (one byte of it, and the row's scale),
  ;; so their misses overlap this group's work: about a tenth less time for 23k scattered rows of 1M
  ;; (Node), 3–4% of an off-distribution query's whole time (Chromium). Returns those bytes folded
  ;; together, so that no compiler drops the reads; the caller ignores it.
  (func (export "dots8") (param $codes i32) (param $dims i32) (param $list i32) (param $count i32) (param $weights i32)
    (param $scales i32) (param $base f32) (param $unit f32) (param $out i32) (result i32)
    (local $end i32) (local $ra i32) (local $rb i32) (local $rc i32) (local $rd i32)
    (local $re i32) (local $rf i32) (local $rg i32) (local $rh i32) (local $s v128) (local $t v128) (local $touched i32)
    (local.set $end (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $list) (local.get $end)))
        (local.set $ra (i32.load (local.get $list)))
        (local.set $rb (select (i32.load offset=4 (local.get $list)) (local.get $ra) (i32.lt_u (i32.add (local.get $list) (i32.const 4)) (local.get $end))))
        (local.set $rc (select (i32.load offset=8 (local.get $list)) (local.get $ra) (i32.lt_u (i32.add (local.get $list) (i32.const 8)) (local.get $end))))
        (local.set $rd (select (i32.load offset=12 (local.get $list)) (local.get $ra) (i32.lt_u (i32.add (local.get $list) (i32.const 12)) (local.get $end))))
        (local.set $re (select (i32.load offset=16 (local.get $list)) (local.get $ra) (i32.lt_u (i32.add (local.get $list) (i32.const 16)) (local.get $end))))
        (local.set $rf (select (i32.load offset=20 (local.get $list)) (local.get $ra) (i32.lt_u (i32.add (local.get $list) (i32.const 20)) (local.get $end))))
        (local.set $rg (select (i32.load offset=24 (local.get $list)) (local.get $ra) (i32.lt_u (i32.add (local.get $list) (i32.const 24)) (local.get $end))))
        (local.set $rh (select (i32.load offset=28 (local.get $list)) (local.get $ra) (i32.lt_u (i32.add (local.get $list) (i32.const 28)) (local.get $end))))
        (local.set $touched (i32.xor (local.get $touched)
          (call $touch8 (i32.add (local.get $list) (i32.const 64)) (local.get $end) (local.get $codes) (local.get $dims) (local.get $scales))))
        (call $int8
          (i32.add (local.get $codes) (i32.mul (local.get $ra) (local.get $dims)))
          (i32.add (local.get $codes) (i32.mul (local.get $rb) (local.get $dims)))
          (i32.add (local.get $codes) (i32.mul (local.get $rc) (local.get $dims)))
          (i32.add (local.get $codes) (i32.mul (local.get $rd) (local.get $dims)))
          (i32.add (local.get $codes) (i32.mul (local.get $re) (local.get $dims)))
          (i32.add (local.get $codes) (i32.mul (local.get $rf) (local.get $dims)))
          (i32.add (local.get $codes) (i32.mul (local.get $rg) (local.get $dims)))
          (i32.add (local.get $codes) (i32.mul (local.get $rh) (local.get $dims)))
          (local.get $weights) (local.get $dims))
        (local.set $t)
        (local.set $s)
        (v128.store (local.get $out) (call $scale4 (local.get $s) (local.get $ra) (local.get $rb) (local.get $rc) (local.get $rd)
          (local.get $scales) (local.get $base) (local.get $unit)))
        (v128.store offset=16 (local.get $out) (call $scale4 (local.get $t) (local.get $re) (local.get $rf) (local.get $rg) (local.get $rh)
          (local.get $scales) (local.get $base) (local.get $unit)))
        (local.set $list (i32.add (local.get $list) (i32.const 32)))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (br $each)))
    (local.get $touched))

  ;; The first byte of every 64 of the (up to) eight rows listed from $list (none past $end), and their
  ;; scales, folded together: reading them starts their cache lines on their way (`dots8`).
  (func $touch8 (param $list i32) (param $end i32) (param $codes i32) (param $dims i32) (param $scales i32) (result i32)
    (local $x i32) (local $r i32) (local $p i32) (local $pEnd i32) (local $lEnd i32)
    (local.set $lEnd (i32.add (local.get $list) (i32.const 32)))
    (if (i32.gt_u (local.get $lEnd) (local.get $end)) (then (local.set $lEnd (local.get $end))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $list) (local.get $lEnd)))
        (local.set $r (i32.load (local.get $list)))
        (local.set $x (i32.xor (local.get $x) (i32.load (i32.add (local.get $scales) (i32.shl (local.get $r) (i32.const 2))))))
        (local.set $p (i32.add (local.get $codes) (i32.mul (local.get $r) (local.get $dims))))
        (local.set $pEnd (i32.add (local.get $p) (local.get $dims)))
        (block $ld
          (loop $line
            (br_if $ld (i32.ge_u (local.get $p) (local.get $pEnd)))
            (local.set $x (i32.xor (local.get $x) (i32.load8_u (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 64)))
            (br $line)))
        (local.set $list (i32.add (local.get $list) (i32.const 4)))
        (br $row)))
    (local.get $x))

  ;; base + unit · scales[r] · sum for four rows' sums (i32 lanes) and rows: four f32 lanes.
  (func $scale4 (param $s v128) (param $ra i32) (param $rb i32) (param $rc i32) (param $rd i32) (param $scales i32)
    (param $base f32) (param $unit f32) (result v128)
    (f32x4.add (f32x4.splat (local.get $base)) (f32x4.mul (f32x4.splat (local.get $unit))
      (f32x4.mul (f32x4.convert_i32x4_s (local.get $s))
        (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1
          (f32x4.splat (f32.load (i32.add (local.get $scales) (i32.shl (local.get $ra) (i32.const 2)))))
          (f32.load (i32.add (local.get $scales) (i32.shl (local.get $rb) (i32.const 2)))))
          (f32.load (i32.add (local.get $scales) (i32.shl (local.get $rc) (i32.const 2)))))
          (f32.load (i32.add (local.get $scales) (i32.shl (local.get $rd) (i32.const 2)))))))))

;; refine(codes8, rests, dims, list, count, weights, scales, base, out): out[i] (f32) = base + scales[r] ·
  ;; Σ_j weights[j] (f32) · (8·u_j + 2·v_j − 3) for row r = list[i]: its int8 code u and 2-bit rests v
  ;; (laid out as `quantize` writes them), each dimension u + (2v − 3) / 8 of a step when the weights
  ;; are the query's own divided by 8. dims a multiple of 64.
  (func (export "refine") (param $codes i32) (param $rests i32) (param $dims i32) (param $list i32) (param $count i32)
    (param $weights i32) (param $scales i32) (param $base f32) (param $out i32)
    (local $end i32) (local $r i32) (local $u i32) (local $v i32) (local $w i32) (local $uEnd i32) (local $rb v128)
    (local $s v128) (local $three v128)
    (local.set $three (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3))
    (local.set $end (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $list) (local.get $end)))
        (local.set $r (i32.load (local.get $list)))
        (local.set $u (i32.add (local.get $codes) (i32.mul (local.get $r) (local.get $dims))))
        (local.set $v (i32.add (local.get $rests) (i32.mul (local.get $r) (i32.shr_u (local.get $dims) (i32.const 2)))))
        (local.set $uEnd (i32.add (local.get $u) (local.get $dims)))
        (local.set $w (local.get $weights))
        (local.set $s (v128.const i64x2 0 0))
        (block $rd
          (loop $group
            (br_if $rd (i32.ge_u (local.get $u) (local.get $uEnd)))
            ;; 64 dimensions: rest byte t holds dimensions t, 16 + t, 32 + t, 48 + t from its low bits up.
            (local.set $rb (v128.load (local.get $v)))
            (local.set $s (f32x4.add (local.get $s) (call $rest16dot (v128.load (local.get $u)) (v128.and (local.get $rb) (local.get $three)) (local.get $w))))
            (local.set $s (f32x4.add (local.get $s) (call $rest16dot (v128.load offset=16 (local.get $u))
              (v128.and (i8x16.shr_u (local.get $rb) (i32.const 2)) (local.get $three)) (i32.add (local.get $w) (i32.const 64)))))
            (local.set $s (f32x4.add (local.get $s) (call $rest16dot (v128.load offset=32 (local.get $u))
              (v128.and (i8x16.shr_u (local.get $rb) (i32.const 4)) (local.get $three)) (i32.add (local.get $w) (i32.const 128)))))
            (local.set $s (f32x4.add (local.get $s) (call $rest16dot (v128.load offset=48 (local.get $u))
              (i8x16.shr_u (local.get $rb) (i32.const 6)) (i32.add (local.get $w) (i32.const 192)))))
            (local.set $u (i32.add (local.get $u) (i32.const 64)))
            (local.set $v (i32.add (local.get $v) (i32.const 16)))
            (local.set $w (i32.add (local.get $w) (i32.const 256)))
            (br $group)))
        (f32.store (local.get $out) (f32.add (local.get $base) (f32.mul
          (f32.load (i32.add (local.get $scales) (i32.shl (local.get $r) (i32.const 2))))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s)))
            (f32.add (f32x4.extract_lane 2 (local.get $s)) (f32x4.extract_lane 3 (local.get $s)))))))
        (local.set $list (i32.add (local.get $list) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $row))))

  ;; Sixteen dimensions of `refine`: codes u (i8), rests v (0 … 3), weights at w (f32); Σ w · (8u + 2v − 3) as four f32 lanes.
  (func $rest16dot (param $u v128) (param $v v128) (param $w i32) (result v128)
    (local $lo v128) (local $hi v128)
    ;; 8u + 2v − 3 within ±1,027: i16 lanes.
    (local.set $lo (i16x8.sub (i16x8.add (i16x8.shl (i16x8.extend_low_i8x16_s (local.get $u)) (i32.const 3))
      (i16x8.shl (i16x8.extend_low_i8x16_u (local.get $v)) (i32.const 1))) (i16x8.splat (i32.const 3))))
    (local.set $hi (i16x8.sub (i16x8.add (i16x8.shl (i16x8.extend_high_i8x16_s (local.get $u)) (i32.const 3))
      (i16x8.shl (i16x8.extend_high_i8x16_u (local.get $v)) (i32.const 1))) (i16x8.splat (i32.const 3))))
    (f32x4.add
      (f32x4.add
        (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $lo))) (v128.load (local.get $w)))
        (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $lo))) (v128.load offset=16 (local.get $w))))
      (f32x4.add
        (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $hi))) (v128.load offset=32 (local.get $w)))
        (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $hi))) (v128.load offset=48 (local.get $w))))))

  ;; Σ_j w[j] · u_j for eight int8 rows at once: [Σa, Σb, Σc, Σd] and [Σe, Σf, Σg, Σh] as i32 lanes.
  (func $int8 (param $a i32) (param $b i32) (param $c i32) (param $d i32) (param $e i32) (param $f i32) (param $g i32) (param $h i32)
    (param $w i32) (param $dims i32) (result v128 v128)
    (local $sa v128) (local $sb v128) (local $sc v128) (local $sd v128) (local $se v128) (local $sf v128) (local $sg v128) (local $sh v128)
    (local $w0 v128) (local $w1 v128) (local $aEnd i32)
    (local.set $aEnd (i32.add (local.get $a) (local.get $dims)))
    (block $end
      (loop $step
        (br_if $end (i32.ge_u (local.get $a) (local.get $aEnd)))
        (local.set $w0 (v128.load (local.get $w)))
        (local.set $w1 (v128.load offset=16 (local.get $w)))
        (local.set $sa (i32x4.add (local.get $sa) (call $int16 (v128.load (local.get $a)) (local.get $w0) (local.get $w1))))
        (local.set $sb (i32x4.add (local.get $sb) (call $int16 (v128.load (local.get $b)) (local.get $w0) (local.get $w1))))
        (local.set $sc (i32x4.add (local.get $sc) (call $int16 (v128.load (local.get $c)) (local.get $w0) (local.get $w1))))
        (local.set $sd (i32x4.add (local.get $sd) (call $int16 (v128.load (local.get $d)) (local.get $w0) (local.get $w1))))
        (local.set $se (i32x4.add (local.get $se) (call $int16 (v128.load (local.get $e)) (local.get $w0) (local.get $w1))))
        (local.set $sf (i32x4.add (local.get $sf) (call $int16 (v128.load (local.get $f)) (local.get $w0) (local.get $w1))))
        (local.set $sg (i32x4.add (local.get $sg) (call $int16 (v128.load (local.get $g)) (local.get $w0) (local.get $w1))))
        (local.set $sh (i32x4.add (local.get $sh) (call $int16 (v128.load (local.get $h)) (local.get $w0) (local.get $w1))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $e (i32.add (local.get $e) (i32.const 16)))
        (local.set $f (i32.add (local.get $f) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $h (i32.add (local.get $h) (i32.const 16)))
        (local.set $w (i32.add (local.get $w) (i32.const 32)))
        (br $step)))
    (call $hsum4 (local.get $sa) (local.get $sb) (local.get $sc) (local.get $sd))
    (call $hsum4 (local.get $se) (local.get $sf) (local.get $sg) (local.get $sh)))

  ;; The four lanes of each of four i32x4 sums added up: [Σa, Σb, Σc, Σd].
  (func $hsum4 (param $sa v128) (param $sb v128) (param $sc v128) (param $sd v128) (result v128)
    (local.set $sa (i32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $sa) (local.get $sb))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $sa) (local.get $sb))))
    (local.set $sc (i32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $sc) (local.get $sd))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $sc) (local.get $sd))))
    (i32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $sa) (local.get $sc))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $sa) (local.get $sc))))

  ;; 16 signed bytes against 16 i16 weights (w0: dimensions 0-7, w1: 8-15), as four i32 partial sums.
  (func $int16 (param $v v128) (param $w0 v128) (param $w1 v128) (result v128)
    (i32x4.add
      (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (local.get $w0))
      (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (local.get $w1))))

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
