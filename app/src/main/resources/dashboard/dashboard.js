// Parley dashboard. Every piece of news text reaches the page through textContent, never as markup:
// a summary that contains "<script>" is shown as those characters.
'use strict';

(function () {
  var DEFAULT_NEGOTIATION = 'ukraine-peace-2025';
  var TOKEN_KEY = 'parley.api-token';
  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
    'November', 'December'];

  var params = new URLSearchParams(window.location.search);
  var negotiation = params.get('negotiation') || DEFAULT_NEGOTIATION;
  var source = null;
  var version = null;
  var reloadTimer = null;

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function append(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) { continue; }
      parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return parent;
  }

  function words(symbol) { return symbol ? String(symbol).toLowerCase().replace(/_/g, ' ') : ''; }

  function badge(symbol) { return el('span', 'badge ' + String(symbol || '').toLowerCase(), words(symbol)); }

  // The same wording as the command line: "early December 2025", never a day it does not know.
  function formatDate(date) {
    if (!date || !date.start) { return ''; }
    var parts = String(date.start).split('-');
    var month = MONTHS[parseInt(parts[1], 10) - 1] + ' ' + parts[0];
    switch (date.precision) {
      case 'DAY': return parseInt(parts[2], 10) + ' ' + month;
      case 'WEEK': return 'week of ' + parseInt(parts[2], 10) + ' ' + month;
      case 'EARLY_MONTH': return 'early ' + month;
      case 'MID_MONTH': return 'mid-' + month;
      case 'LATE_MONTH': return 'late ' + month;
      case 'MONTH': return month;
      case 'YEAR': return parts[0];
      default: return 'around ' + parseInt(parts[2], 10) + ' ' + month;
    }
  }

  function actor(a) { return a.name + (a.party ? ' (' + a.party + ')' : ''); }

  function sources(list) {
    if (!list || !list.length) { return null; }
    return el('div', 'sources', 'Sources: ' + list.map(function (s) {
      return s.outlet + (s.citation ? ', ' + s.citation : '');
    }).join('; '));
  }

  function notice(text) {
    var node = $('notice');
    node.textContent = text || '';
    node.hidden = !text;
  }

  function getJson(url) {
    return fetch(url, { headers: { Accept: 'application/json' } }).then(function (response) {
      if (!response.ok) {
        var error = new Error(url + ' answered ' + response.status);
        error.status = response.status;
        throw error;
      }
      return response.json();
    });
  }

  // ---- the view ----

  // total: how many the list holds in all (the view shows the latest of each list)
  function block(title, items, render, total) {
    var wrapper = el('div');
    append(wrapper, el('h3', null, title));
    if (items && total > items.length) {
      append(wrapper, el('p', 'muted', 'the latest ' + items.length + ' of ' + total + '; the timeline has them all'));
    }
    if (!items || !items.length) {
      append(wrapper, el('p', 'muted', 'none'));
      return wrapper;
    }
    var list = el('ul');
    items.forEach(function (item) { list.appendChild(render(item)); });
    return append(wrapper, list);
  }

  function renderView(status) {
    var counts = status.item_counts || {};
    version = status.version;
    $('overview').textContent = status.negotiation_id + ' — version ' + status.version + ', ' + status.development_count
      + ' developments' + (status.covered_from ? ', ' + formatDate(status.covered_from) : '')
      + (status.covered_to && formatDate(status.covered_to) !== formatDate(status.covered_from) ? ' to ' + formatDate(status.covered_to) : '');
    var body = $('view-body');
    body.replaceChildren();

    var phase = el('div', 'phase');
    append(phase, el('h3', null, 'Phase'));
    if (status.phase) {
      append(phase, el('p', 'summary', words(status.phase.phase) + ', since ' + formatDate(status.phase.since)));
      if (status.phase.path && status.phase.path.length) {
        append(phase, el('p', 'muted', 'Path: ' + status.phase.path.map(function (step) {
          return words(step.phase) + ' (' + formatDate(step.since) + ')';
        }).join(' → ')));
      }
      append(phase, el('p', 'summary', status.phase.summary), sources(status.phase.sources));
    } else {
      append(phase, el('p', 'muted', 'not known yet'));
    }
    body.appendChild(phase);

    var decision = el('div', 'decision');
    append(decision, el('h3', null, 'Decision'));
    if (status.decision) {
      append(decision, el('p', null, words(status.decision.status === 'NONE_ANNOUNCED' ? 'no formal decision announced'
          : 'decision announced') + ' (' + formatDate(status.decision.date) + ')'),
        el('p', 'summary', status.decision.summary), sources(status.decision.sources));
    } else {
      append(decision, el('p', 'muted', 'nothing reported'));
    }
    body.appendChild(decision);

    body.appendChild(block('Meetings', status.meetings, function (m) {
      return append(el('li'), badge(m.occurrence === 'OCCURRED' ? 'HELD' : m.occurrence), formatDate(m.date) + (m.place ? ', ' + m.place : ''),
        m.participants && m.participants.length ? el('div', null, m.participants.map(actor).join(', ')) : null,
        el('p', 'summary', m.summary), sources(m.sources));
    }, counts.meetings));
    body.appendChild(block('Positions', status.positions, function (p) {
      return append(el('li'), el('strong', null, p.party), ' on ' + p.issue + ' (' + formatDate(p.date) + ')',
        el('p', 'summary', p.summary), p.quote ? el('blockquote', null, '« ' + p.quote.text + ' » — ' + p.quote.speaker) : null,
        sources(p.sources));
    }, counts.positions));
    body.appendChild(block('Claims (never stated as fact)', status.claims, function (c) {
      var stances = el('ul', 'stances');
      (c.stances || []).forEach(function (s) {
        append(stances, append(el('li'), s.claimant + (s.party ? ' (' + s.party + ')' : '') + ' ', badge(s.stance),
          ' ' + formatDate(s.date)));
      });
      return append(el('li', 'claim'), el('span', 'claim-text', c.claim), ': ', badge(c.standing), stances);
    }, counts.claims));
    body.appendChild(block('Sticking points', status.sticking_points, function (s) {
      return append(el('li'), el('strong', null, s.issue), ' (' + formatDate(s.date) + ')', el('p', 'summary', s.summary),
        sources(s.sources));
    }, counts.sticking_points));
    function measure(m) {
      var binding = m.binding === true ? badge('binding') : m.binding === false ? badge('not_binding') : null;
      return append(el('li'), binding, formatDate(m.date) + (m.parties && m.parties.length ? ' — ' + m.parties.join(', ') : ''),
        el('p', 'summary', m.summary), sources(m.sources));
    }
    body.appendChild(block('Support measures', status.support_measures, measure, counts.support_measures));
    body.appendChild(block('Resolutions', status.resolutions, measure, counts.resolutions));
    body.appendChild(block('Statements', status.statements, function (group) {
      var inner = el('ul');
      (group.statements || []).forEach(function (s) {
        var item = append(el('li'), badge(s.type), formatDate(s.date) + ' — ' + (s.speakers || []).map(actor).join(', '),
          el('p', 'summary', s.summary));
        (s.quotes || []).forEach(function (q) { append(item, el('blockquote', null, '« ' + q.text + ' » — ' + q.speaker)); });
        inner.appendChild(append(item, sources(s.sources)));
      });
      var more = group.statement_count > (group.statements || []).length
        ? el('span', 'muted', ' (the latest ' + group.statements.length + ' of ' + group.statement_count + ')') : null;
      return append(el('li'), el('strong', null, group.subject), more, inner);
    }, counts.statements));
  }

  // ---- the timeline (GET /api/negotiations/{id}/timeline, when the server has it) ----

  function timelineEntries(json) {
    if (Array.isArray(json)) { return json; }
    return json.developments || json.timeline || json.entries || [];
  }

  function renderTimeline(json) {
    var list = $('timeline');
    list.replaceChildren();
    var entries = timelineEntries(json);
    if (!entries.length) { append(list, el('li', 'muted', 'no developments yet')); }
    if (json.total > entries.length) {
      append(list, el('li', 'muted', 'the first ' + entries.length + ' of ' + json.total + ' developments'));
    }
    entries.forEach(function (entry) {
      var d = entry.development || entry;
      append(list, append(el('li'), el('strong', null, formatDate(d.occurred_on || d.date)), ' ', badge(d.type),
        d.occurrence && d.occurrence !== 'OCCURRED' ? badge(d.occurrence) : null,
        d.place ? ' ' + d.place : null, el('p', 'summary', d.summary),
        el('div', 'sources', '[' + d.development_id + ']'), sources(d.sources)));
    });
  }

  function loadTimeline() {
    return getJson('/api/negotiations/' + encodeURIComponent(negotiation) + '/timeline').then(renderTimeline, function () {
      var list = $('timeline');
      list.replaceChildren(el('li', 'muted', 'The timeline is not available from this server.'));
    });
  }

  function loadView() {
    return getJson('/api/negotiations/' + encodeURIComponent(negotiation) + '/status').then(function (status) {
      notice('');
      renderView(status);
    }, function (error) {
      if (error.status === 404) {
        notice('No development about "' + negotiation + '" yet. This page shows it as soon as one arrives.');
      } else {
        notice('The view could not be loaded (' + error.message + '); it is retried on the next change.');
      }
    });
  }

  function loadNegotiations() {
    var select = $('negotiation');
    function fill(ids) {
      select.replaceChildren();
      if (ids.indexOf(negotiation) < 0) { ids.unshift(negotiation); }
      ids.forEach(function (id) {
        var option = el('option', null, id);
        option.value = id;
        option.selected = id === negotiation;
        select.appendChild(option);
      });
    }
    fill([]);
    getJson('/api/negotiations').then(function (json) {
      var list = Array.isArray(json) ? json : (json.negotiations || []);
      fill(list.map(function (n) { return typeof n === 'string' ? n : n.negotiation_id; }));
    }, function () { /* an older server: the one in the URL is all there is */ });
    select.addEventListener('change', function () {
      window.location.search = '?negotiation=' + encodeURIComponent(select.value);
    });
  }

  // ---- live changes ----

  function scheduleReload() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(function () { loadView(); loadTimeline(); }, 150);
  }

  function showChange(change) {
    var list = $('changes');
    list.querySelectorAll('li.fresh').forEach(function (li) { li.classList.remove('fresh'); });
    var item = append(el('li', 'fresh'), el('strong', null, 'version ' + change.to_version), ' ',
      el('span', 'muted', (change.caused_by || []).join(', ')));
    var kinds = el('ul');
    (change.changes || []).forEach(function (c) { append(kinds, append(el('li'), badge(c.kind), c.item)); });
    list.insertBefore(append(item, kinds), list.firstChild);
    while (list.children.length > 50) { list.removeChild(list.lastChild); }
  }

  function follow() {
    // ?after= the version just shown, so a change that lands between the two requests is not lost;
    // on reconnect the browser sends Last-Event-ID itself.
    var url = '/api/negotiations/' + encodeURIComponent(negotiation) + '/changes'
      + (version !== null ? '?after=' + encodeURIComponent(version) : '');
    source = new EventSource(url);
    source.onopen = function () { $('live').textContent = 'live'; $('live').classList.remove('off'); };
    source.onerror = function () { $('live').textContent = 'reconnecting…'; $('live').classList.add('off'); };
    source.addEventListener('change', function (event) {
      var change;
      try { change = JSON.parse(event.data); } catch (e) { return; }
      showChange(change);
      scheduleReload();
    });
  }

  // ---- the form (POST /api/developments) ----

  var FORM_FIELDS = {
    negotiation_id: 'f-negotiation_id', development_id: 'f-development_id', type: 'f-type', subject: 'f-subject',
    'occurred_on.start': 'f-date', 'occurred_on.precision': 'f-precision', occurrence: 'f-occurrence', place: 'f-place',
    summary: 'f-summary', language: 'f-language', 'actors[0].name': 'f-actor-name', 'actors[0].role': 'f-actor-role',
    'actors[0].party': 'f-actor-party', 'sources[0].outlet': 'f-outlet'
  };

  function value(id) {
    var v = $(id).value.trim();
    return v === '' ? null : v;
  }

  function developmentFromForm() {
    var development = {
      development_id: value('f-development_id') || '',
      negotiation_id: value('f-negotiation_id') || '',
      occurred_on: { start: value('f-date') || '', precision: value('f-precision') },
      occurrence: value('f-occurrence'),
      reported_at: new Date().toISOString(),
      type: value('f-type'),
      subject: value('f-subject'),
      summary: $('f-summary').value.trim(),
      language: value('f-language') || '',
      place: value('f-place'),
      actors: [],
      sources: []
    };
    if (value('f-actor-name') || value('f-actor-party')) {
      development.actors.push({ name: value('f-actor-name') || '', role: value('f-actor-role'), party: value('f-actor-party') || '' });
    }
    if (value('f-outlet')) {
      development.sources.push({ outlet: value('f-outlet'), language: development.language });
    }
    return development;
  }

  function clearErrors() {
    document.querySelectorAll('.field-error').forEach(function (node) { node.remove(); });
    document.querySelectorAll('[aria-invalid]').forEach(function (node) { node.removeAttribute('aria-invalid'); });
    $('form-errors').replaceChildren();
    $('form-result').textContent = '';
    $('form-result').className = 'form-result';
  }

  function showErrors(errors) {
    errors.forEach(function (error) {
      var input = FORM_FIELDS[error.field] ? $(FORM_FIELDS[error.field]) : null;
      var message = error.message || (error.field + ': ' + error.expected);
      if (input) {
        var node = el('p', 'field-error', message);
        node.id = input.id + '-error';
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', node.id);
        input.parentNode.appendChild(node);
      } else {
        append($('form-errors'), el('li', null, message));
      }
    });
  }

  function setUpForm() {
    var token = $('f-token');
    token.value = sessionStorage.getItem(TOKEN_KEY) || '';
    token.addEventListener('change', function () { sessionStorage.setItem(TOKEN_KEY, token.value.trim()); });
    $('f-negotiation_id').value = negotiation;
    $('development-form').addEventListener('submit', function (event) {
      event.preventDefault();
      clearErrors();
      sessionStorage.setItem(TOKEN_KEY, token.value.trim());
      var result = $('form-result');
      fetch('/api/developments', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: 'Bearer ' + token.value.trim() },
        body: JSON.stringify(developmentFromForm())
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          if (response.status === 202) {
            var outcome = json.developments && json.developments[0] ? json.developments[0].result : 'published';
            result.textContent = 'Accepted: ' + outcome + '. The view updates when it is folded in.';
            result.className = 'form-result ok';
          } else {
            result.textContent = (json.message || ('The server answered ' + response.status))
              + (response.headers.get('Retry-After') ? ' (retry in ' + response.headers.get('Retry-After') + ' s)' : '');
            result.className = 'form-result failed';
            showErrors(json.errors || []);
          }
        });
      }, function (error) {
        result.textContent = 'The server could not be reached: ' + error.message;
        result.className = 'form-result failed';
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.title = 'Parley — ' + negotiation;
    loadNegotiations();
    setUpForm();
    Promise.all([loadView(), loadTimeline()]).then(follow, follow);
  });
}());
