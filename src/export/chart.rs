//! The claims chart as a picture (`bordermap export --chart claims`): the window's chart
//! ([`crate::ui::chart::chart_ui`]) drawn offscreen, one plot per figure stacked on one time
//! axis, with a title, the legend, what the markers mean, the sources line and the credit.

use egui::{Color32, Pos2, Rect, RichText, ViewportId, vec2};
use image::RgbaImage;
use jiff::Timestamp;

use super::{ExportError, Exporter};
use crate::model::claims::{Bucket, Tally};
use crate::time::DisplayZone;
use crate::ui::chart::{Chart, ChartInput, chart_ui, key_ui};

/// Which chart `--chart` asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartSpec {
    /// The claims of these figures, one plot each.
    Claims(Vec<Tally>),
    /// A user layer's numeric property summed by day or week.
    Prop {
        /// The property.
        name: String,
        /// Day or week.
        bucket: Bucket,
    },
}

impl ChartSpec {
    /// Reads `claims` (dead, injured, evacuated), `claims:killed,injured` or `prop:NAME`.
    pub fn parse(text: &str, bucket: Bucket) -> Result<Self, String> {
        let bad = || {
            format!(
                "bad --chart '{text}': use claims, claims:killed (or injured, evacuated, \
                 displaced, comma-separated) or prop:NAME"
            )
        };
        let text = text.trim();
        if text.eq_ignore_ascii_case("claims") {
            return Ok(Self::Claims(vec![
                Tally::Killed,
                Tally::Injured,
                Tally::Evacuated,
            ]));
        }
        if let Some(rest) = text.strip_prefix("claims:") {
            let tallies = rest
                .split(',')
                .map(|t| Tally::parse(t).ok_or_else(bad))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Self::Claims(tallies));
        }
        if let Some(name) = text.strip_prefix("prop:").map(str::trim)
            && !name.is_empty()
        {
            return Ok(Self::Prop {
                name: name.to_string(),
                bucket,
            });
        }
        Err(bad())
    }
}

/// One chart picture to make.
pub struct ChartRequest<'a> {
    /// The plots, top to bottom.
    pub charts: &'a [Chart],
    /// The time cursor (a line on each plot).
    pub cursor: Timestamp,
    /// The zone dates are shown in.
    pub zone: DisplayZone,
    /// Pixels.
    pub size_px: [u32; 2],
    /// The heading.
    pub title: String,
    /// What the picture shows besides (the filter), for the line under the title.
    pub subtitle: Option<String>,
}

impl Exporter {
    /// Draws the charts into a picture.
    pub fn render_chart(&mut self, req: &ChartRequest) -> Result<RgbaImage, ExportError> {
        let size = vec2(req.size_px[0] as f32, req.size_px[1] as f32);
        let mut input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, size)),
            max_texture_side: Some(8192),
            ..Default::default()
        };
        if let Some(viewport) = input.viewports.get_mut(&ViewportId::ROOT) {
            viewport.native_pixels_per_point = Some(1.0);
        }
        let mut output = None;
        // The plots size their axes from the first pass: draw twice, keep the second (the
        // textures of both are uploaded: the fonts' come with the first).
        for _ in 0..2 {
            if let Some(out) = output.as_mut() {
                let out: &mut egui::FullOutput = out;
                self.offscreen.textures(&mut out.textures_delta);
            }
            output = Some(self.ctx.run_ui(input.clone(), |ui| {
                let frame = egui::Frame::new()
                    .fill(Color32::WHITE)
                    .inner_margin(egui::Margin::same(16));
                egui::CentralPanel::default().frame(frame).show(ui, |ui| {
                    chart_page_ui(ui, req);
                });
            }));
            input.time = Some(0.1);
        }
        let Some(mut output) = output else {
            return Err(ExportError::Gpu("no frame was drawn".into()));
        };
        self.offscreen.textures(&mut output.textures_delta);
        self.offscreen.render(&self.ctx, &output, req.size_px)
    }
}

fn chart_page_ui(ui: &mut egui::Ui, req: &ChartRequest) {
    ui.label(RichText::new(&req.title).heading().strong());
    if let Some(sub) = &req.subtitle {
        ui.label(RichText::new(sub).weak());
    }
    let claims: Vec<_> = req
        .charts
        .iter()
        .filter_map(|c| match c {
            Chart::Claims(c) => Some(c),
            Chart::Sums(..) => None,
        })
        .collect();
    // Room for the key, the sources (which wrap) and the credit under the plots.
    let furniture = if claims.is_empty() { 60.0 } else { 110.0 };
    // One time axis for all the plots, so their dates line up.
    let x_span = req
        .charts
        .iter()
        .filter_map(crate::ui::chart::data_span)
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
    let n = req.charts.len().max(1) as f32;
    let height = ((ui.available_height() - furniture) / n - 24.0).max(80.0);
    let mut ignored = Vec::new();
    for chart in req.charts {
        ui.label(RichText::new(crate::ui::chart::title(chart)).strong());
        let input = ChartInput {
            chart,
            cursor: req.cursor,
            zone: req.zone,
            selection: None,
            interactive: false,
            x_span,
        };
        chart_ui(ui, &input, height, &mut ignored);
    }
    if !claims.is_empty() {
        key_ui(ui, &claims);
    }
    ui.label(
        RichText::new(format!(
            "Time cursor (orange line): {} · bordermap · claims as published by each side and \
             source, never merged",
            req.zone.format(req.cursor)
        ))
        .small()
        .weak(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_specs_read_and_refuse() {
        assert_eq!(
            ChartSpec::parse("claims", Bucket::Day),
            Ok(ChartSpec::Claims(vec![
                Tally::Killed,
                Tally::Injured,
                Tally::Evacuated
            ]))
        );
        assert_eq!(
            ChartSpec::parse("claims:injured", Bucket::Day),
            Ok(ChartSpec::Claims(vec![Tally::Injured]))
        );
        assert_eq!(
            ChartSpec::parse("prop:fatalities", Bucket::Week),
            Ok(ChartSpec::Prop {
                name: "fatalities".into(),
                bucket: Bucket::Week
            })
        );
        for bad in ["", "pie", "claims:wounded-ish", "prop:"] {
            let e = ChartSpec::parse(bad, Bucket::Day).expect_err(bad);
            assert!(e.contains("bad --chart"), "{e}");
        }
    }
}
