//! MP4 video (H.264): frames from the exporter, encoded with OpenH264 (built from its
//! bundled source, BSD) and muxed with the pure-Rust `mp4` crate. No ffmpeg is needed to
//! write. The file is written whole or not at all: to a temporary file beside it, renamed
//! when the last frame is in.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use image::RgbaImage;
use mp4::{AvcConfig, Bytes, MediaConfig, Mp4Config, Mp4Sample, Mp4Writer, TrackConfig, TrackType};
use openh264::OpenH264API;
use openh264::encoder::{
    BitRate, Complexity, Encoder, EncoderConfig, FrameRate, FrameType, IntraFramePeriod,
    RateControlMode, UsageType,
};
use openh264::formats::{RgbaSliceU8, YUVBuffer};

/// Writes an MP4 file frame by frame.
pub struct VideoWriter {
    encoder: Encoder,
    /// The muxer, once the first frame gave the stream's parameter sets.
    mp4: Option<Mp4Writer<BufWriter<File>>>,
    file: Option<File>,
    tmp: PathBuf,
    path: PathBuf,
    fps: u32,
    size: [u32; 2],
    frames: u64,
}

/// The moment of frame `i` of `frames` from `from` to `to` (both included): time moves
/// smoothly, each frame its own moment, not the next event.
pub fn frame_time(
    from: jiff::Timestamp,
    to: jiff::Timestamp,
    i: i64,
    frames: i64,
) -> jiff::Timestamp {
    let span = to.as_millisecond() - from.as_millisecond();
    let offset = span as f64 * i as f64 / (frames - 1).max(1) as f64;
    from.checked_add(jiff::SignedDuration::from_millis(offset.round() as i64))
        .unwrap_or(to)
}

/// A [`VideoWriter`] on its own thread: frames are handed over (a few may wait) while the
/// next one renders, so rendering and encoding overlap.
pub struct VideoThread {
    frames: Option<std::sync::mpsc::SyncSender<RgbaImage>>,
    done: Option<std::thread::JoinHandle<Result<PathBuf, VideoError>>>,
    /// Set when the video is dropped unfinished: the thread then writes nothing.
    abandon: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl VideoThread {
    /// Starts encoding `video` on a thread.
    pub fn start(mut video: VideoWriter) -> std::io::Result<Self> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<RgbaImage>(3);
        let abandon = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let abandoned = abandon.clone();
        let done = std::thread::Builder::new()
            .name("video encoder".into())
            .spawn(move || {
                for frame in rx {
                    video.push(&frame)?;
                }
                if abandoned.load(std::sync::atomic::Ordering::Relaxed) {
                    // Dropped unfinished: the temporary file goes with the writer.
                    return Err(video.err("cancelled".into()));
                }
                video.finish()
            })?;
        Ok(Self {
            frames: Some(tx),
            done: Some(done),
            abandon,
        })
    }

    /// Hands a frame over; `false` when the encoder has stopped (its error comes with
    /// [`VideoThread::finish`]).
    pub fn push(&self, frame: RgbaImage) -> bool {
        self.frames
            .as_ref()
            .is_some_and(|tx| tx.send(frame).is_ok())
    }

    /// Waits for the last frame to be encoded and the file to be put in place.
    pub fn finish(mut self) -> Result<PathBuf, String> {
        self.frames = None;
        match self.done.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result.map_err(|e| e.to_string()),
            _ => Err("the video encoder stopped unexpectedly".into()),
        }
    }
}

impl Drop for VideoThread {
    /// A video dropped before [`VideoThread::finish`] is abandoned: nothing is written.
    fn drop(&mut self) {
        self.abandon
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self.frames = None;
        if let Some(done) = self.done.take() {
            let _ = done.join();
        }
    }
}

/// What went wrong writing a video.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {message}")]
pub struct VideoError {
    path: PathBuf,
    message: String,
}

impl VideoWriter {
    /// A video of `size` pixels (even: H.264's 4:2:0 halves them) at `fps` frames a second,
    /// written to `path` when [`VideoWriter::finish`] is called.
    pub fn create(path: &Path, size: [u32; 2], fps: u32) -> Result<Self, VideoError> {
        let err = |message: String| VideoError {
            path: path.to_path_buf(),
            message,
        };
        if size[0] < 16 || size[1] < 16 || size[0] % 2 == 1 || size[1] % 2 == 1 {
            return Err(err(format!(
                "a video's width and height must be even and at least 16, not {}x{}",
                size[0], size[1]
            )));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "video.mp4".into());
        let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&tmp).map_err(|e| err(e.to_string()))?;
        // A map changes little between frames: a modest bitrate keeps text sharp and the
        // file small; a key frame every two seconds lets a player seek.
        let bits = (f64::from(size[0]) * f64::from(size[1]) * f64::from(fps) * 0.1) as u32;
        let config = EncoderConfig::new()
            .usage_type(UsageType::ScreenContentRealTime)
            .rate_control_mode(RateControlMode::Off)
            .adaptive_quantization(false)
            .background_detection(false)
            .bitrate(BitRate::from_bps(bits.clamp(1_000_000, 20_000_000)))
            .max_frame_rate(FrameRate::from_hz(fps as f32))
            .intra_frame_period(IntraFramePeriod::from_num_frames(fps * 2))
            .complexity(Complexity::Low)
            .skip_frames(false);
        let encoder = Encoder::with_api_config(OpenH264API::from_source(), config)
            .map_err(|e| err(format!("cannot start the H.264 encoder: {e}")))?;
        Ok(Self {
            encoder,
            mp4: None,
            file: Some(file),
            tmp,
            path: path.to_path_buf(),
            fps: fps.max(1),
            size,
            frames: 0,
        })
    }

    fn err(&self, message: String) -> VideoError {
        VideoError {
            path: self.path.clone(),
            message,
        }
    }

    /// Encodes one frame (of the video's size).
    pub fn push(&mut self, frame: &RgbaImage) -> Result<(), VideoError> {
        let [w, h] = self.size;
        if frame.dimensions() != (w, h) {
            return Err(self.err(format!(
                "a frame of {}x{} in a {w}x{h} video",
                frame.width(),
                frame.height()
            )));
        }
        let yuv =
            YUVBuffer::from_rgb_source(RgbaSliceU8::new(frame.as_raw(), (w as usize, h as usize)));
        let stream = self.encoder.encode(&yuv).map_err(|e| VideoError {
            path: self.path.clone(),
            message: format!("H.264 encoding failed: {e}"),
        })?;
        let sync = matches!(stream.frame_type(), FrameType::IDR | FrameType::I);
        let bytes = stream.to_vec();
        let (mut sps, mut pps, mut sample) = (None, None, Vec::with_capacity(bytes.len()));
        for nal in nal_payloads(&bytes) {
            match nal.first().map(|b| b & 0x1f) {
                Some(7) => sps = Some(nal.to_vec()),
                Some(8) => pps = Some(nal.to_vec()),
                Some(_) => {
                    sample.extend_from_slice(&(nal.len() as u32).to_be_bytes());
                    sample.extend_from_slice(nal);
                }
                None => {}
            }
        }
        if self.mp4.is_none() {
            let (Some(sps), Some(pps), Some(file)) = (sps, pps, self.file.take()) else {
                return Err(self.err("the encoder gave no parameter sets".into()));
            };
            let config = Mp4Config {
                major_brand: str::parse("isom").map_err(|e| self.err(format!("{e}")))?,
                minor_version: 512,
                compatible_brands: ["isom", "iso2", "avc1", "mp41"]
                    .iter()
                    .filter_map(|b| str::parse(b).ok())
                    .collect(),
                timescale: 1000,
            };
            let mut mp4 = Mp4Writer::write_start(BufWriter::new(file), &config)
                .map_err(|e| self.err(e.to_string()))?;
            mp4.add_track(&TrackConfig {
                track_type: TrackType::Video,
                timescale: self.fps,
                language: "und".into(),
                media_conf: MediaConfig::AvcConfig(AvcConfig {
                    width: w as u16,
                    height: h as u16,
                    seq_param_set: sps,
                    pic_param_set: pps,
                }),
            })
            .map_err(|e| self.err(e.to_string()))?;
            self.mp4 = Some(mp4);
        }
        let frames = self.frames;
        let Some(mp4) = self.mp4.as_mut() else {
            return Err(self.err("the video was not started".into()));
        };
        mp4.write_sample(
            1,
            &Mp4Sample {
                start_time: frames,
                duration: 1,
                rendering_offset: 0,
                is_sync: sync,
                bytes: Bytes::from(sample),
            },
        )
        .map_err(|e| VideoError {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        self.frames += 1;
        Ok(())
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Ends the file and puts it in place.
    pub fn finish(mut self) -> Result<PathBuf, VideoError> {
        let Some(mut mp4) = self.mp4.take() else {
            return Err(self.err("no frame was written".into()));
        };
        mp4.write_end().map_err(|e| self.err(e.to_string()))?;
        let mut writer = mp4.into_writer();
        std::io::Write::flush(&mut writer).map_err(|e| self.err(e.to_string()))?;
        drop(writer);
        std::fs::rename(&self.tmp, &self.path).map_err(|e| self.err(e.to_string()))?;
        Ok(self.path.clone())
    }
}

impl Drop for VideoWriter {
    /// A video not finished leaves nothing behind.
    fn drop(&mut self) {
        if self.tmp.exists() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The NAL units of an Annex B stream, without their start codes (and trailing zeros).
fn nal_payloads(stream: &[u8]) -> impl Iterator<Item = &[u8]> {
    openh264::nal_units(stream).filter_map(|unit| {
        let start = unit.iter().position(|&b| b == 1)? + 1;
        let end = unit.iter().rposition(|&b| b != 0).map_or(start, |i| i + 1);
        (end > start).then(|| &unit[start..end])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_span_from_first_to_last_moment() {
        let (a, b): (jiff::Timestamp, jiff::Timestamp) = (
            "2022-09-13T00:00:00Z".parse().expect("t"),
            "2022-09-20T00:00:00Z".parse().expect("t"),
        );
        assert_eq!(frame_time(a, b, 0, 8), a);
        assert_eq!(frame_time(a, b, 7, 8), b);
        assert_eq!(
            frame_time(a, b, 1, 8),
            "2022-09-14T00:00:00Z".parse().expect("t")
        );
    }

    #[test]
    fn start_codes_are_stripped() {
        let stream = [
            0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4, 5, 0,
        ];
        let nals: Vec<&[u8]> = nal_payloads(&stream).collect();
        assert_eq!(nals, vec![&[0x67, 1, 2][..], &[0x68, 3], &[0x65, 4, 5]]);
    }

    #[test]
    fn a_short_video_is_written_whole_and_read_back() {
        let dir = std::env::temp_dir().join(format!("bordermap-video-{}", std::process::id()));
        let path = dir.join("v.mp4");
        let mut video = VideoWriter::create(&path, [64, 48], 10).expect("video");
        for i in 0..12u8 {
            let frame = RgbaImage::from_pixel(64, 48, image::Rgba([i * 20, 100, 200, 255]));
            video.push(&frame).expect("frame");
        }
        assert!(!path.exists(), "nothing in place before the end");
        video.finish().expect("finished");
        let file = std::fs::File::open(&path).expect("written");
        let mp4 = mp4::read_mp4(file).expect("an MP4");
        let track = mp4.tracks().get(&1).expect("the video track");
        assert_eq!(track.sample_count(), 12);
        assert_eq!((track.width(), track.height()), (64, 48));
        assert_eq!(track.media_type().ok(), Some(mp4::MediaType::H264));
        assert_eq!(mp4.duration().as_millis(), 1200);
        assert!(VideoWriter::create(&dir.join("odd.mp4"), [63, 48], 10).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
