//! The one Web Mercator projection and the one line clipper, shared by the overlay (screen
//! points, `f32`) and the offline basemap's rasteriser (tile pixels, `f64`).

use std::ops::{Add, Mul, Neg, Sub};

/// Highest latitude of Web Mercator (the square world).
pub const MAX_LAT: f64 = 85.051_128_779_806_59;

/// Normalised Web Mercator: x east 0..1 from -180°, y south 0..1 from 85.0511° N.
pub fn mercator(lon: f64, lat: f64) -> [f64; 2] {
    let lat = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    [x, y]
}

/// Inverse of [`mercator`]: `(lon, lat)`.
pub fn unmercator(p: [f64; 2]) -> (f64, f64) {
    let lon = p[0] * 360.0 - 180.0;
    let n = std::f64::consts::PI * (1.0 - 2.0 * p[1]);
    let lat = n.sinh().atan().to_degrees();
    (lon, lat)
}

/// A float the clipper works in (`f32` screen points, `f64` tile pixels).
pub trait Coord:
    Copy
    + PartialOrd
    + From<f32>
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Neg<Output = Self>
    + std::ops::Div<Output = Self>
{
    /// Square root (for run lengths).
    fn sqrt(self) -> Self;
}

impl Coord for f32 {
    fn sqrt(self) -> Self {
        f32::sqrt(self)
    }
}

impl Coord for f64 {
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
}

/// Liang–Barsky: the parameter range `(t0, t1)` of segment a→b inside `rect`
/// (`[min x, min y, max x, max y]`), if any part of it is inside.
pub fn clip_segment<T: Coord>(a: [T; 2], b: [T; 2], rect: [T; 4]) -> Option<(T, T)> {
    let zero = T::from(0.0);
    let dx = b[0] - a[0];
    let dy = b[1] - a[1];
    let mut t0 = zero;
    let mut t1 = T::from(1.0);
    for (p, q) in [
        (-dx, a[0] - rect[0]),
        (dx, rect[2] - a[0]),
        (-dy, a[1] - rect[1]),
        (dy, rect[3] - a[1]),
    ] {
        if p == zero {
            if q < zero {
                return None;
            }
        } else {
            let r = q / p;
            if p < zero {
                if r > t0 {
                    t0 = r;
                }
            } else if r < t1 {
                t1 = r;
            }
            if t0 > t1 {
                return None;
            }
        }
    }
    Some((t0, t1))
}

/// A visible piece of a clipped polyline, with its distance from the line's start (so
/// dashes can keep their phase).
#[derive(Clone, Debug, PartialEq)]
pub struct Run<T> {
    /// Length of the line before this run starts.
    pub start_len: T,
    /// The run's points, inside the clip rectangle.
    pub pts: Vec<[T; 2]>,
}

/// The parts of a polyline inside `rect`, each segment clipped, so that drawing (and
/// dashing) costs what is seen, not the line's full length at high zoom.
pub fn clip_polyline<T: Coord>(
    points: impl IntoIterator<Item = [T; 2]>,
    rect: [T; 4],
    out: &mut Vec<Run<T>>,
) {
    let (zero, one) = (T::from(0.0), T::from(1.0));
    let mut cum = zero;
    let mut current: Option<Run<T>> = None;
    let mut prev: Option<[T; 2]> = None;
    for b in points {
        let Some(a) = prev.replace(b) else {
            continue;
        };
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = (dx * dx + dy * dy).sqrt();
        match clip_segment(a, b, rect) {
            Some((t0, t1)) => {
                let lerp = |t: T| [a[0] + dx * t, a[1] + dy * t];
                if t0 > zero
                    && let Some(r) = current.take()
                {
                    out.push(r);
                }
                let run = current.get_or_insert_with(|| Run {
                    start_len: cum + t0 * len,
                    pts: vec![if t0 > zero { lerp(t0) } else { a }],
                });
                run.pts.push(if t1 < one { lerp(t1) } else { b });
                if t1 < one
                    && let Some(r) = current.take()
                {
                    out.push(r);
                }
            }
            None => {
                if let Some(r) = current.take() {
                    out.push(r);
                }
            }
        }
        cum = cum + len;
    }
    if let Some(r) = current.take() {
        out.push(r);
    }
}

/// Squared distance from `p` to the segment `a`–`b`.
fn seg_dist2<T: Coord>(p: [T; 2], a: [T; 2], b: [T; 2]) -> T {
    let (zero, one) = (T::from(0.0), T::from(1.0));
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > zero {
        let t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
        if t < zero {
            zero
        } else if t > one {
            one
        } else {
            t
        }
    } else {
        zero
    };
    let (ex, ey) = (p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
    ex * ex + ey * ey
}

/// Douglas–Peucker: the indices of the points kept so that no point dropped is farther than
/// `tol` from the line through those kept (always the first and the last).
pub fn douglas_peucker<T: Coord>(pts: &[[T; 2]], tol: T) -> Vec<usize> {
    let n = pts.len();
    if n <= 2 || tol.partial_cmp(&T::from(0.0)) != Some(std::cmp::Ordering::Greater) {
        return (0..n).collect();
    }
    let tol2 = tol * tol;
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut stack = vec![(0usize, n - 1)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let mut best = T::from(-1.0);
        let mut bi = a + 1;
        for (i, &p) in pts.iter().enumerate().take(b).skip(a + 1) {
            let d = seg_dist2(p, pts[a], pts[b]);
            if d > best {
                best = d;
                bi = i;
            }
        }
        if best > tol2 {
            keep[bi] = true;
            stack.push((a, bi));
            stack.push((bi, b));
        }
    }
    (0..n).filter(|&i| keep[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mercator_round_trips() {
        for (lon, lat) in [(70.58, 39.85), (-120.0, -33.0), (0.0, 0.0)] {
            let (a, b) = unmercator(mercator(lon, lat));
            assert!((a - lon).abs() < 1e-9 && (b - lat).abs() < 1e-9);
        }
        assert_eq!(mercator(0.0, 0.0), [0.5, 0.5]);
    }

    fn runs(pts: &[[f32; 2]]) -> Vec<Run<f32>> {
        let mut out = Vec::new();
        clip_polyline(pts.iter().copied(), [0.0, 0.0, 100.0, 100.0], &mut out);
        out
    }

    #[test]
    fn clipping_keeps_only_what_is_seen() {
        let through = runs(&[[-1e7, 50.0], [1e7, 50.0]]);
        assert_eq!(through.len(), 1);
        assert!((through[0].pts[0][0] - 0.0).abs() < 1e-3);
        assert!((through[0].pts[1][0] - 100.0).abs() < 1e-3);
        assert!(runs(&[[-10.0, -10.0], [-5.0, 200.0]]).is_empty());
        let in_out_in = runs(&[[10.0, 10.0], [10.0, 500.0], [20.0, 500.0], [20.0, 10.0]]);
        assert_eq!(in_out_in.len(), 2);
        // The second run starts after the 490 + 10 + 400 units before it.
        assert!((in_out_in[1].start_len - 900.0).abs() < 1e-3);
    }

    #[test]
    fn inside_points_are_kept_exactly() {
        let pts = [[1.1, 2.2], [3.3, 4.4], [5.5, 99.9]];
        let r = runs(&pts);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].pts, pts.to_vec());
    }

    #[test]
    fn douglas_peucker_keeps_the_ends_and_every_corner_past_the_tolerance() {
        // A straight run with a bump of 0.2 and a corner of 2: the bump goes, the corner stays.
        let pts: [[f32; 2]; 6] = [[0., 0.], [1., 0.], [2., 0.2], [3., 0.], [4., 2.], [5., 0.]];
        assert_eq!(douglas_peucker(&pts, 0.25), vec![0, 3, 4, 5]);
        assert_eq!(douglas_peucker(&pts, 0.05), vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(douglas_peucker(&pts, 0.0), vec![0, 1, 2, 3, 4, 5]);
        // A closed ring (first = last) keeps its far point.
        let ring: [[f64; 2]; 4] = [[0., 0.], [1., 1.], [2., 0.], [0., 0.]];
        assert_eq!(douglas_peucker(&ring, 1.2), vec![0, 2, 3]);
        assert_eq!(douglas_peucker(&ring, 0.5), vec![0, 1, 2, 3]);
        assert_eq!(douglas_peucker::<f64>(&[], 1.0), Vec::<usize>::new());
    }
}
