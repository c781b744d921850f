// Draws the report's charts with Chart.js from the model that ReportPage embeds, then records what each chart
// holds after drawing in <script id="rendered-charts"> (a test reads it from the rendered DOM).
(function () {
  'use strict';

  var model = JSON.parse(document.getElementById('report-model').textContent);
  // Elastic's categorical palette, as Kibana colours its series
  var palette = ['#54B399', '#6092C0', '#D36086', '#9170B8', '#CA8EAE', '#D6BF57', '#B9A888', '#DA8B45',
    '#AA6556', '#E7664C'];

  // UTC, to the precision of the buckets
  function timeLabel(millis) {
    var iso = new Date(millis).toISOString();
    if (model.intervalMillis < 1000) {
      return iso.substring(11, 23);
    }
    if (model.intervalMillis < 60000) {
      return iso.substring(11, 19);
    }
    if (model.intervalMillis < 86400000) {
      return iso.substring(5, 16).replace('T', ' ');
    }
    return iso.substring(0, 10);
  }

  function translucent(hex) {
    var rgb = parseInt(hex.substring(1), 16);
    return 'rgba(' + (rgb >> 16) + ',' + ((rgb >> 8) & 255) + ',' + (rgb & 255) + ',0.55)';
  }

  function datasets(spec) {
    return spec.series.map(function (series, i) {
      var color = palette[i % palette.length];
      return {
        label: series.name,
        data: series.points.map(function (point) {
          return { x: point[0], y: point[1] };
        }),
        borderColor: color,
        backgroundColor: spec.stacked ? translucent(color) : color,
        // stacked: each area fills down to the one below it
        fill: spec.stacked ? (i === 0 ? 'origin' : '-1') : false,
        borderWidth: 2,
        pointRadius: 2.5,
        // an empty bucket (null) breaks the line rather than bridging time without traces
        spanGaps: false
      };
    });
  }

  function draw(spec, canvas) {
    return new Chart(canvas, {
      type: 'line',
      data: { datasets: datasets(spec) },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: {
            type: 'linear',
            title: { display: true, text: '@timestamp (UTC), buckets of ' + model.interval },
            ticks: { callback: timeLabel, maxRotation: 0, autoSkipPadding: 16 }
          },
          y: {
            stacked: spec.stacked,
            beginAtZero: true,
            title: { display: true, text: spec.valueTitle }
          }
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            callbacks: {
              title: function (items) {
                return new Date(items[0].parsed.x).toISOString();
              }
            }
          }
        }
      }
    });
  }

  // What the chart holds after drawing: per series its name, its points as Chart.js parsed them (what its own
  // tooltips read), and how many of them it placed inside the plot area.
  function holdings(chart) {
    var area = chart.chartArea;
    return chart.data.datasets.map(function (dataset, i) {
      var meta = chart.getDatasetMeta(i);
      var points = meta.data.map(function (element, j) {
        var parsed = meta.controller.getParsed(j);
        return [parsed.x, parsed.y];
      });
      var drawn = meta.data.filter(function (element) {
        return !element.skip && element.x >= area.left - 1 && element.x <= area.right + 1
          && element.y >= area.top - 1 && element.y <= area.bottom + 1;
      }).length;
      return { name: dataset.label, points: points, drawn: drawn };
    });
  }

  var rendered = [];
  document.querySelectorAll('section.chart').forEach(function (section) {
    var message = section.querySelector('.no-data');
    if (message) {
      rendered.push({ id: section.id, message: message.textContent });
    }
  });
  model.charts.forEach(function (spec) {
    var section = document.getElementById(spec.id);
    try {
      var chart = draw(spec, section.querySelector('canvas'));
      rendered.push({ id: spec.id, series: holdings(chart) });
    } catch (e) {
      var error = document.createElement('p');
      error.className = 'error';
      error.textContent = 'This chart could not be drawn: ' + e;
      section.querySelector('.canvas-box').replaceWith(error);
      rendered.push({ id: spec.id, error: String(e) });
    }
  });

  // compare's distributions: one bar per bin and cohort, the share of the cohort's traces in it
  (model.distributions || []).forEach(function (spec) {
    var section = document.getElementById(spec.id);
    try {
      var chart = new Chart(section.querySelector('canvas'), {
        type: 'bar',
        data: {
          labels: spec.labels,
          datasets: spec.series.map(function (series, i) {
            return { label: series.name, data: series.shares, backgroundColor: palette[i % palette.length] };
          })
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: {
            x: { title: { display: true, text: spec.feature } },
            y: { beginAtZero: true, title: { display: true, text: "share of the cohort's traces" } }
          },
          plugins: { legend: { position: 'bottom' } }
        }
      });
      rendered.push({ id: spec.id, labels: spec.labels, series: holdings(chart) });
    } catch (e) {
      rendered.push({ id: spec.id, error: String(e) });
    }
  });

  var out = document.createElement('script');
  out.type = 'application/json';
  out.id = 'rendered-charts';
  // as raw text of a script element, the JSON must not contain "</script"
  out.textContent = JSON.stringify(rendered).replace(/</g, '\\u003c');
  document.body.appendChild(out);
})();
