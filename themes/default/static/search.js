/*! vinn search: client side of the static full-text index (plain ES2017, no dependencies).
 *
 * The text pipeline (tokenize, normalize, fold, stemmers) and the ranking are
 * twins of src/search/*.rs; tests/search_agreement.rs compares them. Change
 * both sides together.
 *
 * Index files are <script>s under the index base (data-index) that call
 * __vinnSearch.add(name, data), so search works from file:// too.
 *
 * Markup it enhances (any number of forms; ids only need to be unique):
 *   <form role="search" class="vinn-search" action="{base}sok/" method="get"
 *         data-index="{base}search/" data-base="{base}"
 *         data-i18n-noresults="Ingen treff for «{q}»." data-i18n-suggest="Mente du {term}?"
 *         data-i18n-count="{n} treff" data-i18n-all="Alle {n} treff" data-i18n-more="Vis flere"
 *         data-i18n-error="Søket er ikke tilgjengelig."
 *         data-i18n-kind-article="Artikkel" (…-checklist, …-case)
 *         data-i18n-outcome-won="Vunnet" (…-lost, …-no-decision)
 *         [data-vinn-page on the /sok/ page: reads ?q=&kind=&topic=, results stay open]>
 *     <input type="search" name="q" id="vinn-q" role="combobox" aria-autocomplete="list"
 *            aria-controls="vinn-results" aria-expanded="false" autocomplete="off">
 *     <select name="kind" data-vinn-filter="kind"><option value="">…</option>…</select>
 *     <select name="topic" data-vinn-filter="topic"><option value="">…</option>…</select>
 *     <p role="status" aria-live="polite" class="vinn-search__status"></p>
 *     <ul role="listbox" id="vinn-results" class="vinn-search__results" hidden></ul>
 *   </form>
 * A topic select with only the empty option is filled from the index.
 */
(function (root) {
  'use strict';

  /* ------------------------------------------------------------ text */

  var MIN_TOKEN = 2;
  var MAX_TOKEN = 40;

  function isWordChar(cp) {
    if (cp < 0x80) {
      return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
    }
    return !(
      (cp >= 0x80 && cp <= 0xbf) || cp === 0xd7 || cp === 0xf7 ||
      (cp >= 0x2000 && cp <= 0x2bff) || (cp >= 0x2e00 && cp <= 0x2e7f) ||
      (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xd800 && cp <= 0xf8ff) ||
      (cp >= 0xfe10 && cp <= 0xfe1f) || (cp >= 0xfe30 && cp <= 0xfe6f) || cp === 0xfeff ||
      (cp >= 0xff00 && cp <= 0xff0f) || (cp >= 0xff1a && cp <= 0xff20) ||
      (cp >= 0xff3b && cp <= 0xff40) || (cp >= 0xff5b && cp <= 0xff65) ||
      (cp >= 0xfff0 && cp <= 0xffff) || (cp >= 0x1f000 && cp <= 0x1faff)
    );
  }

  function isIgnorable(cp) {
    return cp === 0xad || cp === 0x200c || cp === 0x200d;
  }

  function normalizeWord(w) {
    return w.normalize('NFC').toLowerCase().normalize('NFC');
  }

  function charCount(s) {
    return Array.from(s).length;
  }

  // Tokens of an NFC text with their UTF-16 spans in it.
  function tokenSpans(nfcText) {
    var out = [];
    var cur = '';
    var start = -1;
    var s = nfcText;
    function flush(end) {
      var w = normalizeWord(cur);
      var n = charCount(w);
      if (n >= MIN_TOKEN && n <= MAX_TOKEN) out.push({ w: w, start: start, end: end });
      cur = '';
      start = -1;
    }
    for (var i = 0; i < s.length;) {
      var cp = s.codePointAt(i);
      var len = cp > 0xffff ? 2 : 1;
      if (isWordChar(cp)) {
        if (start < 0) start = i;
        cur += s.substr(i, len);
      } else if (isIgnorable(cp)) {
        // dropped inside words
      } else if (start >= 0) {
        flush(i);
      }
      i += len;
    }
    if (start >= 0) flush(s.length);
    return out;
  }

  function tokenize(text) {
    return tokenSpans(String(text).normalize('NFC')).map(function (t) { return t.w; });
  }

  var FOLD = {
    'æ': 'ae', 'ä': 'ae', 'ø': 'o', 'ö': 'o', 'ó': 'o', 'ò': 'o', 'ô': 'o', 'õ': 'o',
    'å': 'a', 'á': 'a', 'à': 'a', 'â': 'a', 'ã': 'a', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
    'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i', 'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u',
    'ý': 'y', 'ÿ': 'y', 'ç': 'c', 'ñ': 'n'
  };

  function fold(w) {
    var s = '';
    for (var i = 0; i < w.length; i++) {
      var c = w[i];
      s += Object.prototype.hasOwnProperty.call(FOLD, c) ? FOLD[c] : c;
    }
    return s.split('aa').join('a').split('oe').join('o');
  }

  var STOP = {
    nb: 'at av bare ble bli blir blitt da de deg dem den denne dens der dere deres det dette di din ' +
      'disse ditt du eller en enn er et ett etter for fordi fra før hadde ham han hans har hen henne ' +
      'hennes her hos hun hva hvem hver hvilke hvilken hvis hvor ikke ingen inn jeg kan kun kunne man ' +
      'med meg men mer min mitt mot mye må noe noen nok nå når og også om opp oss over på sa seg selv ' +
      'sin sine sitt skal skulle slik som så til ut uten var ved vi vil ville vår være vært å',
    en: 'a about after all also am an and any are as at be been but by can could did do does for ' +
      'from had has have he her his how i if in into is it its me my no not of on or our she so than ' +
      'that the their them then there these they this to us was we were what when which who will ' +
      'with would you your'
  };
  var STOP_SETS = {};
  Object.keys(STOP).forEach(function (k) {
    STOP_SETS[k] = {};
    STOP[k].split(' ').forEach(function (w) { STOP_SETS[k][w] = true; });
  });

  function isStopWord(w, lang) {
    return Object.prototype.hasOwnProperty.call(STOP_SETS[lang === 'en' ? 'en' : 'nb'], w);
  }

  /* ------------------------------------------------- Norwegian stemmer */

  function nbVowel(c) {
    return c.length === 1 && 'aeiouyæåø'.indexOf(c) >= 0;
  }

  function nbR1(w) {
    if (w.length < 3) return w.length;
    var v = -1;
    for (var i = 0; i < w.length; i++) {
      if (nbVowel(w[i])) { v = i; break; }
    }
    if (v < 0) return w.length;
    for (var j = v; j < w.length; j++) {
      if (!nbVowel(w[j])) return Math.max(j + 1, 3);
    }
    return w.length;
  }

  // w: array of characters; s: ASCII suffix.
  function endsWith(w, s) {
    var n = s.length;
    if (n > w.length) return false;
    for (var i = 0; i < n; i++) {
      if (w[w.length - n + i] !== s[i]) return false;
    }
    return true;
  }

  function longestIn(w, p1, list) {
    var best = null;
    for (var i = 0; i < list.length; i++) {
      var s = list[i];
      if (s.length > w.length || w.length - s.length < p1) continue;
      if (endsWith(w, s) && (best === null || best.length < s.length)) best = s;
    }
    return best;
  }

  var NB_MAIN_DELETE = ('a e ede ande ende ane ene hetene en heten ar er heter as es edes endes enes ' +
    'hetenes ens hetens ers ets et het ast').split(' ');
  var NB_MAIN_ALL = NB_MAIN_DELETE.concat(['s', 'erte', 'ert']);
  var NB_OTHER = 'leg eleg ig eig lig elig els lov elov slov hetslov'.split(' ');

  function stemNb(word) {
    var w = Array.from(word);
    var p1 = nbR1(w);
    var s = longestIn(w, p1, NB_MAIN_ALL);
    if (s !== null) {
      if (NB_MAIN_DELETE.indexOf(s) >= 0) {
        w.length -= s.length;
      } else if (s === 's') {
        var b = w.length - 2;
        var prev = w[b];
        var kRule = prev === 'k' && b >= 1 && !nbVowel(w[b - 1]);
        if ((prev.length === 1 && 'bcdfghjlmnoprtvyz'.indexOf(prev) >= 0) || kRule) w.length -= 1;
      } else {
        w.length -= s.length;
        w.push('e', 'r');
      }
    }
    if (longestIn(w, p1, ['dt', 'vt']) !== null) w.pop();
    s = longestIn(w, p1, NB_OTHER);
    if (s !== null) w.length -= s.length;
    return w.join('');
  }

  // Conflation after Snowball (stem.rs conflate_nb): in R1, -ern loses n,
  // then -er goes; if shortened, step 3 once more.
  function conflateNb(word, snowball) {
    var p1 = nbR1(Array.from(word));
    var w = Array.from(snowball);
    var before = w.length;
    if (endsWith(w, 'ern') && w.length > p1) w.pop();
    if (endsWith(w, 'er') && w.length >= p1 + 2) w.length -= 2;
    if (w.length < before) {
      var s = longestIn(w, p1, NB_OTHER);
      if (s !== null) w.length -= s.length;
    }
    return w.join('');
  }

  /* --------------------------------------------------- English stemmer */

  function enVowel(c) {
    return c.length === 1 && 'aeiouy'.indexOf(c) >= 0;
  }

  function enRegion(w, from) {
    var i = from;
    while (i < w.length && !enVowel(w[i])) i++;
    while (i < w.length && enVowel(w[i])) i++;
    return i < w.length ? i + 1 : w.length;
  }

  function enShortSyllable(w, end) {
    if (end >= 3) {
      var a = w[end - 3];
      var b = w[end - 2];
      var c = w[end - 1];
      if (!enVowel(a) && enVowel(b) && !enVowel(c) && c !== 'w' && c !== 'x' && c !== 'Y') return true;
    }
    return end === 2 && enVowel(w[0]) && !enVowel(w[1]);
  }

  function replaceSuffix(w, n, rep) {
    w.length -= n;
    for (var i = 0; i < rep.length; i++) w.push(rep[i]);
  }

  var EN_EXCEPTION1 = {
    skis: 'ski', skies: 'sky', sky: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl',
    gently: 'gentl', ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl', news: 'news',
    howe: 'howe', atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes'
  };
  var EN_EXCEPTION2 = ['canning', 'earring', 'exceed', 'herring', 'inning', 'outing', 'proceed', 'succeed'];
  var EN_STEP2 = [
    ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['abli', 'able'], ['entli', 'ent'],
    ['izer', 'ize'], ['ization', 'ize'], ['ational', 'ate'], ['ation', 'ate'], ['ator', 'ate'],
    ['alism', 'al'], ['aliti', 'al'], ['alli', 'al'], ['fulness', 'ful'], ['ousli', 'ous'],
    ['ousness', 'ous'], ['iveness', 'ive'], ['iviti', 'ive'], ['biliti', 'ble'], ['bli', 'ble'],
    ['ogi', 'og'], ['fulli', 'ful'], ['lessli', 'less'], ['li', '']
  ];
  var EN_STEP3 = [
    ['tional', 'tion'], ['ational', 'ate'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'],
    ['ical', 'ic'], ['ful', ''], ['ness', ''], ['ative', '']
  ];
  var EN_STEP4 = ('al ance ence er ic able ible ant ement ment ent ism ate iti ous ive ize ion').split(' ');

  function longestPair(w, table) {
    var best = null;
    for (var i = 0; i < table.length; i++) {
      if (endsWith(w, table[i][0]) && (best === null || best[0].length < table[i][0].length)) best = table[i];
    }
    return best;
  }

  function stemEn(word) {
    if (Object.prototype.hasOwnProperty.call(EN_EXCEPTION1, word)) return EN_EXCEPTION1[word];
    var w = Array.from(word);
    if (w.length < 3) return word;
    if (w[0] === "'") w.shift();
    for (var i = 0; i < w.length; i++) {
      if (w[i] === 'y' && (i === 0 || enVowel(w[i - 1]))) w[i] = 'Y';
    }
    var s = w.join('');
    var p1;
    if (s.indexOf('gener') === 0 || s.indexOf('arsen') === 0) p1 = 5;
    else if (s.indexOf('commun') === 0) p1 = 6;
    else p1 = enRegion(w, 0);
    var p2 = enRegion(w, p1);

    var apos = ["'s'", "'s", "'"];
    for (i = 0; i < apos.length; i++) {
      if (endsWith(w, apos[i])) { w.length -= apos[i].length; break; }
    }

    // Step 1a
    if (endsWith(w, 'sses')) {
      replaceSuffix(w, 4, 'ss');
    } else if (endsWith(w, 'ied') || endsWith(w, 'ies')) {
      replaceSuffix(w, 3, w.length > 4 ? 'i' : 'ie');
    } else if (endsWith(w, 'us') || endsWith(w, 'ss')) {
      // nothing
    } else if (endsWith(w, 's') && w.length >= 3 && w.slice(0, w.length - 2).some(enVowel)) {
      w.pop();
    }
    var now = w.join('');
    if (EN_EXCEPTION2.indexOf(now) >= 0) return now;

    // Step 1b
    var suf = null;
    ['eedly', 'ingly', 'edly', 'eed', 'ing', 'ed'].forEach(function (x) {
      if (endsWith(w, x) && (suf === null || suf.length < x.length)) suf = x;
    });
    if (suf !== null) {
      var n = suf.length;
      if (suf === 'eed' || suf === 'eedly') {
        if (w.length - n >= p1) replaceSuffix(w, n, 'ee');
      } else if (w.slice(0, w.length - n).some(enVowel)) {
        w.length -= n;
        if (endsWith(w, 'at') || endsWith(w, 'bl') || endsWith(w, 'iz')) {
          w.push('e');
        } else if (['bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt'].some(function (d) { return endsWith(w, d); })) {
          w.pop();
        } else if (w.length === p1 && enShortSyllable(w, w.length)) {
          w.push('e');
        }
      }
    }

    // Step 1c
    if (w.length > 2) {
      var last = w[w.length - 1];
      if ((last === 'y' || last === 'Y') && !enVowel(w[w.length - 2])) w[w.length - 1] = 'i';
    }

    // Step 2
    var pair = longestPair(w, EN_STEP2);
    if (pair !== null && w.length - pair[0].length >= p1) {
      var end2 = w.length - pair[0].length;
      if (pair[0] === 'ogi') {
        if (end2 >= 1 && w[end2 - 1] === 'l') replaceSuffix(w, 3, pair[1]);
      } else if (pair[0] === 'li') {
        if (end2 >= 1 && w[end2 - 1].length === 1 && 'cdeghkmnrt'.indexOf(w[end2 - 1]) >= 0) w.length = end2;
      } else {
        replaceSuffix(w, pair[0].length, pair[1]);
      }
    }

    // Step 3
    pair = longestPair(w, EN_STEP3);
    if (pair !== null) {
      var end3 = w.length - pair[0].length;
      if (end3 >= p1 && (pair[0] !== 'ative' || end3 >= p2)) replaceSuffix(w, pair[0].length, pair[1]);
    }

    // Step 4
    var s4 = null;
    EN_STEP4.forEach(function (x) {
      if (endsWith(w, x) && (s4 === null || s4.length < x.length)) s4 = x;
    });
    if (s4 !== null) {
      var end4 = w.length - s4.length;
      if (end4 >= p2) {
        if (s4 === 'ion') {
          if (end4 >= 1 && (w[end4 - 1] === 's' || w[end4 - 1] === 't')) w.length = end4;
        } else {
          w.length = end4;
        }
      }
    }

    // Step 5
    if (w.length > 0) {
      var l5 = w[w.length - 1];
      var end5 = w.length - 1;
      if (l5 === 'e') {
        if (end5 >= p2 || (end5 >= p1 && !enShortSyllable(w, end5))) w.pop();
      } else if (l5 === 'l' && end5 >= p2 && end5 >= 1 && w[end5 - 1] === 'l') {
        w.pop();
      }
    }
    return w.map(function (c) { return c === 'Y' ? 'y' : c; }).join('');
  }

  function stem(word, lang) {
    return lang === 'en' ? stemEn(word) : conflateNb(word, stemNb(word));
  }

  function normalizeAndStem(word, lang) {
    return stem(normalizeWord(word), lang);
  }

  /* ------------------------------------------------------------ codec */

  var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var DIGIT = {};
  for (var ai = 0; ai < ALPHABET.length; ai++) DIGIT[ALPHABET[ai]] = ai;

  function decodeNums(s) {
    var out = [];
    var acc = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s[i]];
      acc = acc * 32 + (d & 31);
      if (d < 32) { out.push(acc); acc = 0; }
    }
    return out;
  }

  function decodePostings(s) {
    var nums = decodeNums(s);
    var out = [];
    var next = 0;
    for (var i = 0; i + 1 < nums.length; i += 2) {
      var doc = next + nums[i];
      out.push(doc, nums[i + 1]);
      next = doc + 1;
    }
    return out; // flat [doc, score, doc, score, ...]
  }

  function decodeIds(s) {
    var out = [];
    var next = 0;
    decodeNums(s).forEach(function (g) { next += g; out.push(next); next += 1; });
    return out;
  }

  function postingCount(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) if (DIGIT[s[i]] < 32) n++;
    return n >> 1;
  }

  /* ----------------------------------------------------------- ranking */

  var MAX_TOKENS = 5;
  var MAX_SHARDS_PER_TOKEN = 2;
  var MAX_SHARDS = 7;
  var PREFIX_CAP = 20;
  var MIN_COMPOUND_CHARS = 7;
  var PAGE = 10;
  var DIRECT_WEIGHTS = [10, 8, 7, 6];
  var PART_WEIGHTS = [5, 5, 4, 4];

  // Compare by code points (Rust's string order).
  function cmpCP(a, b) {
    var i = 0;
    var j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i);
      var y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return (a.length - i > 0 ? 1 : 0) - (b.length - j > 0 ? 1 : 0);
  }

  function queryTokens(q, lang) {
    var out = [];
    var seen = {};
    var words = tokenize(q);
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (isStopWord(w, lang) || Object.prototype.hasOwnProperty.call(seen, w)) continue;
      if (out.length === MAX_TOKENS) break;
      seen[w] = true;
      out.push(queryToken(w, lang));
    }
    return out;
  }

  function queryToken(w, lang) {
    var fq = fold(w);
    var fs = fold(stem(w, lang));
    var a = Array.from(fq);
    var b = Array.from(fs);
    var r = '';
    for (var k = 0; k < a.length && k < b.length && a[k] === b[k]; k++) r += a[k];
    return { q: w, fq: fq, fs: fs, r: r };
  }

  // A long query word as two words of the vocabulary (the split whose
  // shorter part is longest, then the earliest; parts of four letters or
  // more, a binding s or e allowed after the first): førstemøte is
  // første + møte. As split_compound in src/search/query.rs.
  function splitCompound(w, vocab) {
    var chars = Array.from(w);
    if (chars.length < MIN_COMPOUND_CHARS) return null;
    var known = function (p) { return vocab.indexOf(p) >= 0; };
    var best = null;
    for (var i = 4; i <= chars.length - 4; i++) {
      var head = chars.slice(0, i).join('');
      var tail = chars.slice(i).join('');
      if (!known(tail)) continue;
      var h = null;
      var headLen = i;
      if (known(head)) h = head;
      else if ((head.charAt(head.length - 1) === 's' || head.charAt(head.length - 1) === 'e') && i - 1 >= 4 && known(head.slice(0, -1))) {
        h = head.slice(0, -1);
        headLen = i - 1;
      }
      if (h === null) continue;
      var shorter = Math.min(headLen, chars.length - i);
      if (best === null || shorter > best[0]) best = [shorter, h, tail];
    }
    return best && [best[1], best[2]];
  }

  function vocabWords(store) {
    return String(store.parts.vocab || '').split(' ').filter(Boolean);
  }

  // Each document's best score for the query word t over the words of the
  // given shards.
  function scoreToken(store, t, shards, lang) {
    var best = new Map();
    var matched = [];
    var prefixOnly = [];
    shards.forEach(function (s) {
      var entries = store.parts['s' + s] || [];
      for (var i = 0; i < entries.length; i++) {
        var e = entries[i];
        var w = e[0];
        var fw = fold(w);
        if (fw.indexOf(t.r) !== 0) continue;
        var kind;
        if (w === t.q) kind = 0;
        else if (fw === t.fq) kind = 1;
        else if (fw.indexOf(t.fq) === 0) kind = 2;
        else if (fold(stem(w, lang)) === t.fs) kind = 3;
        else continue;
        var isStem = kind === 2 && fold(stem(w, lang)) === t.fs;
        if (kind === 2 && !isStem) {
          var df = 0;
          for (var l = 1; l < e.length; l++) if (typeof e[l] === 'string') df += postingCount(e[l]);
          prefixOnly.push([df, w, e]);
        } else {
          matched.push([kind, e]);
        }
      }
    });
    prefixOnly.sort(function (a, b) { return b[0] - a[0] || cmpCP(a[1], b[1]); });
    prefixOnly.slice(0, PREFIX_CAP).forEach(function (p) { matched.push([2, p[2]]); });
    matched.forEach(function (m) {
      [[1, DIRECT_WEIGHTS], [2, PART_WEIGHTS]].forEach(function (lw) {
        var enc = m[1][lw[0]];
        if (typeof enc !== 'string') return;
        var list = decodePostings(enc);
        for (var i = 0; i < list.length; i += 2) {
          var v = lw[1][m[0]] * list[i + 1];
          var b = best.get(list[i]);
          if (b === undefined || v > b) best.set(list[i], v);
        }
      });
    });
    return best;
  }

  function shardsFor(keys, r) {
    if (!keys.length) return [];
    var i = 0;
    for (var k = keys.length - 1; k >= 0; k--) {
      if (cmpCP(keys[k], r) <= 0) { i = k; break; }
    }
    var out = [i];
    if (i + 1 < keys.length && keys[i + 1].indexOf(r) === 0 && out.length < MAX_SHARDS_PER_TOKEN) out.push(i + 1);
    return out;
  }

  function editDistance(a, b) {
    a = Array.from(a);
    b = Array.from(b);
    var prev = [];
    var cur = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      cur[0] = i;
      for (j = 1; j <= b.length; j++) {
        var sub = prev[j - 1] + (a[i - 1] !== b[j - 1] ? 1 : 0);
        cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
      }
      var t = prev; prev = cur; cur = t;
    }
    return prev[b.length];
  }

  function closest(w, vocab) {
    var n = charCount(w);
    var max = n <= 4 ? 1 : 2;
    var best = null;
    var bestD = Infinity;
    for (var i = 0; i < vocab.length; i++) {
      var v = vocab[i];
      if (v === w || Math.abs(charCount(v) - n) > max) continue;
      var d = editDistance(w, v);
      if (d <= max && d < bestD) { best = v; bestD = d; }
    }
    return best;
  }

  // A store of registered index parts plus a loader (name -> Promise).
  function createStore(loadPart) {
    var store = {
      parts: {},
      loaded: [],
      add: function (name, data) {
        store.parts[name] = data;
        if (name === 'meta' && data && data.inline) {
          Object.keys(data.inline).forEach(function (k) { store.parts[k] = data.inline[k]; });
        }
      },
      ensure: function (names) {
        return Promise.all(names.map(function (name) {
          if (Object.prototype.hasOwnProperty.call(store.parts, name)) return Promise.resolve();
          if (!store.pending[name]) {
            store.loaded.push(name);
            store.pending[name] = new Promise(function (resolve) { resolve(loadPart(name)); }).then(function () {
              if (!Object.prototype.hasOwnProperty.call(store.parts, name)) throw new Error('vinn search: missing ' + name);
            });
          }
          return store.pending[name];
        }));
      },
      pending: {}
    };
    return store;
  }

  // Rank documents for q: resolves to {ranked: [[doc, matched, score]...], tokens, suggestion}.
  async function rank(store, q, lang, opts) {
    opts = opts || {};
    await store.ensure(['meta']);
    var meta = store.parts.meta;
    lang = lang || meta.lang || 'nb';
    var tokens = queryTokens(q, lang);
    var keys = meta.shards || [];
    // A long word may be a compound of two vocabulary words.
    var vocab = [];
    if (tokens.some(function (t) { return charCount(t.q) >= MIN_COMPOUND_CHARS; })) {
      await store.ensure(['vocab']);
      vocab = vocabWords(store);
    }
    var parts = tokens.map(function (t) {
      var p = splitCompound(t.q, vocab);
      return p && [queryToken(p[0], lang), queryToken(p[1], lang)];
    });
    // Shards per token within the budget: the words' first, then their parts'.
    var loaded = [];
    var shardsOf = function (t) {
      var mine = [];
      shardsFor(keys, t.r).forEach(function (s) {
        if (loaded.indexOf(s) >= 0) mine.push(s);
        else if (loaded.length < MAX_SHARDS) { loaded.push(s); mine.push(s); }
      });
      return mine;
    };
    var tokenShards = tokens.map(shardsOf);
    var partShards = parts.map(function (p) { return p && [shardsOf(p[0]), shardsOf(p[1])]; });
    await store.ensure(loaded.map(function (s) { return 's' + s; }));

    var total = new Map();
    tokens.forEach(function (t, ti) {
      var best = scoreToken(store, t, tokenShards[ti], lang);
      if (parts[ti]) {
        var head = scoreToken(store, parts[ti][0], partShards[ti][0], lang);
        var tail = scoreToken(store, parts[ti][1], partShards[ti][1], lang);
        head.forEach(function (a, doc) {
          var b = tail.get(doc);
          if (b === undefined) return;
          var v = Math.min(a, b);
          var cur = best.get(doc);
          if (cur === undefined || v > cur) best.set(doc, v);
        });
      }
      best.forEach(function (v, doc) {
        var cur = total.get(doc);
        if (cur) { cur[0] += 1; cur[1] += v; } else total.set(doc, [1, v]);
      });
    });
    var anyMatch = total.size > 0;

    var allowed = null;
    var facets = [['kinds', 'fk', opts.kind], ['topics', 'ft', opts.topic]];
    for (var f = 0; f < facets.length; f++) {
      var value = facets[f][2];
      if (!value) continue;
      var list = meta[facets[f][0]] || [];
      var idx = -1;
      for (var k = 0; k < list.length; k++) if (list[k][0] === value) { idx = k; break; }
      var ids = [];
      if (idx >= 0) {
        var name = facets[f][1] + idx;
        await store.ensure([name]);
        ids = decodeIds(store.parts[name]);
      }
      var set = new Set(ids);
      allowed = allowed === null ? set : new Set(Array.from(allowed).filter(function (d) { return set.has(d); }));
    }

    var ranked = [];
    total.forEach(function (v, doc) {
      if (allowed === null || allowed.has(doc)) ranked.push([doc, v[0], v[1]]);
    });
    ranked.sort(function (a, b) { return b[1] - a[1] || b[2] - a[2] || a[0] - b[0]; });

    var suggestion = null;
    if (!anyMatch && tokens.length) {
      await store.ensure(['vocab']);
      vocab = vocabWords(store);
      var changed = false;
      var words = tokens.map(function (t) {
        var c = closest(t.q, vocab);
        if (c !== null) { changed = true; return c; }
        return t.q;
      });
      if (changed) suggestion = words.join(' ');
    }
    // A compound's parts are marked in the results as its words are.
    var marked = tokens.slice();
    parts.forEach(function (p) { if (p) marked.push(p[0], p[1]); });
    return { ranked: ranked, tokens: marked, suggestion: suggestion, dc: meta.dc || 5, lang: lang };
  }

  // Document records for doc ids: [url, title, kind, topics, description, excerpt, outcome].
  async function docs(store, ids, dc) {
    var names = [];
    ids.forEach(function (d) {
      var n = 'd' + Math.floor(d / dc);
      if (names.indexOf(n) < 0) names.push(n);
    });
    await store.ensure(names);
    return ids.map(function (d) { return store.parts['d' + Math.floor(d / dc)][d % dc]; });
  }

  // The whole query as the UI runs it: ranking plus the first page of documents.
  async function search(store, q, lang, opts) {
    var res = await rank(store, q, lang, opts);
    var page = await docs(store, res.ranked.slice(0, PAGE).map(function (r) { return r[0]; }), res.dc);
    res.page = page;
    return res;
  }

  /* --------------------------------------------------------- snippets */

  function wordMatches(w, tokens, lang) {
    var fw = fold(w);
    for (var i = 0; i < tokens.length; i++) {
      var t = tokens[i];
      if (fw.indexOf(t.fq) === 0 || fold(stem(w, lang)) === t.fs) return true;
      if (t.fq.length >= 4 && fw.indexOf(t.fq) > 0) return true;
      if (t.fs.length >= 4 && fw.indexOf(t.fs) > 0) return true;
    }
    return false;
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // HTML of text[from, to) with matching words in <mark>.
  function markup(text, spans, from, to, tokens, lang) {
    var out = '';
    var pos = from;
    spans.forEach(function (s) {
      if (s.start < from || s.end > to || !wordMatches(s.w, tokens, lang)) return;
      out += escapeHtml(text.slice(pos, s.start)) + '<mark>' + escapeHtml(text.slice(s.start, s.end)) + '</mark>';
      pos = s.end;
    });
    return out + escapeHtml(text.slice(pos, to));
  }

  function highlight(text, tokens, lang) {
    var t = String(text || '').normalize('NFC');
    return markup(t, tokenSpans(t), 0, t.length, tokens, lang);
  }

  var SNIPPET = 180;

  function snippet(doc, tokens, lang) {
    var desc = String(doc[4] || '').normalize('NFC');
    var body = String(doc[5] || '').normalize('NFC');
    var dSpans = tokenSpans(desc);
    if (dSpans.some(function (s) { return wordMatches(s.w, tokens, lang); })) {
      return markup(desc, dSpans, 0, desc.length, tokens, lang);
    }
    var bSpans = tokenSpans(body);
    var hit = null;
    for (var i = 0; i < bSpans.length && !hit; i++) {
      if (wordMatches(bSpans[i].w, tokens, lang)) hit = bSpans[i];
    }
    var text = desc;
    var spans = dSpans;
    var from = 0;
    if (hit || !desc) {
      text = body;
      spans = bSpans;
    }
    if (hit && hit.start > 60) {
      // Start the window at a word boundary shortly before the first hit.
      var sp = text.indexOf(' ', hit.start - 60);
      from = sp >= 0 && sp < hit.start ? sp + 1 : hit.start;
    }
    var to = Math.min(text.length, from + SNIPPET);
    if (to < text.length) {
      var back = text.lastIndexOf(' ', to);
      if (back > from + 40) to = back;
    }
    return (from > 0 ? '… ' : '') + markup(text, spans, from, to, tokens, lang) + (to < text.length ? ' …' : '');
  }

  /* ---------------------------------------------------------------- UI */

  // UI strings when the form has no data-i18n-* attribute for them.
  var DEFAULTS = {
    nb: {
      noresults: 'Ingen treff for «{q}».', suggest: 'Mente du {term}?', count: '{n} treff', 'count-one': '1 treff',
      all: 'Alle {n} treff', more: 'Vis flere', error: 'Søket er ikke tilgjengelig.',
      'kind-article': 'Artikkel', 'kind-checklist': 'Sjekkliste', 'kind-case': 'Case',
      'outcome-won': 'Vunnet', 'outcome-lost': 'Tapt', 'outcome-no-decision': 'Ingen beslutning'
    },
    en: {
      noresults: 'No results for “{q}”.', suggest: 'Did you mean {term}?', count: '{n} results', 'count-one': '1 result',
      all: 'All {n} results', more: 'Show more', error: 'Search is not available.',
      'kind-article': 'Article', 'kind-checklist': 'Checklist', 'kind-case': 'Case study',
      'outcome-won': 'Won', 'outcome-lost': 'Lost', 'outcome-no-decision': 'No decision'
    }
  };

  var registry = null;
  var currentScript = typeof document !== 'undefined' ? document.currentScript : null;

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = url;
      s.async = true;
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error('vinn search: cannot load ' + url)); };
      document.head.appendChild(s);
    });
  }

  function fileUrl(href) {
    // file:// has no directory index: point at index.html.
    if (typeof location !== 'undefined' && location.protocol === 'file:') {
      var m = /^([^?#]*)([?#].*)?$/.exec(href);
      if (m && /\/$/.test(m[1])) return m[1] + 'index.html' + (m[2] || '');
    }
    return href;
  }

  function fmt(s, vars) {
    return String(s).replace(/\{(\w+)\}/g, function (all, k) {
      return Object.prototype.hasOwnProperty.call(vars, k) ? vars[k] : all;
    });
  }

  function setup(form) {
    if (form.__vinn) return;
    form.__vinn = true;
    var input = form.querySelector('input[name="q"]');
    var list = form.querySelector('[role="listbox"]');
    if (!input || !list) return;
    var status = form.querySelector('[role="status"]');
    var kindSel = form.querySelector('[data-vinn-filter="kind"]');
    var topicSel = form.querySelector('[data-vinn-filter="topic"]');
    var isPage = form.hasAttribute('data-vinn-page');
    var ds = form.dataset;
    // The index: data-index, else data-base + "search/", else "search/"
    // beside this script ({base}search.js).
    var indexBase = ds.index ? new URL(ds.index, document.baseURI).href
      : ds.base ? new URL(ds.base + 'search/', document.baseURI).href
        : new URL('search/', currentScript && currentScript.src ? currentScript.src : document.baseURI).href;
    var siteBase = new URL(ds.base || indexBase.replace(/search\/?$/, ''), document.baseURI).href;
    if (!list.id) list.id = 'vinn-results-' + Math.random().toString(36).slice(2, 8);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('autocomplete', 'off');

    if (!registry) {
      registry = createStore(function (name) { return loadScript(indexBase + name + '.js'); });
      root.__vinnSearch = registry;
    }
    var store = registry;
    var seq = 0;
    var timer = null;
    var active = -1;
    var shown = [];
    var last = null;

    var uiLang = /^en/i.test(document.documentElement.getAttribute('lang') || '') ? 'en' : 'nb';

    function i18n(key, fallback) {
      var v = form.getAttribute('data-i18n-' + key);
      if (v !== null) return v;
      var d = DEFAULTS[uiLang];
      return Object.prototype.hasOwnProperty.call(d, key) ? d[key] : fallback;
    }

    // A topic's name: from the page's topic filter, the form's
    // data-i18n-topic-SLUG, or the slug written as words.
    function topicName(value) {
      if (topicSel) {
        for (var i = 0; i < topicSel.options.length; i++) {
          var o = topicSel.options[i];
          if (o.value === value && o.value) return o.getAttribute('data-label') || o.text;
        }
      }
      var words = value.replace(/-/g, ' ');
      return i18n('topic-' + value, words.charAt(0).toUpperCase() + words.slice(1));
    }

    function fillFilters(meta) {
      [[kindSel, meta.kinds, 'kind'], [topicSel, meta.topics, 'topic']].forEach(function (f) {
        var sel = f[0];
        if (!sel || sel.options.length > 1 || !f[1]) return;
        f[1].forEach(function (v) {
          var o = document.createElement('option');
          o.value = v[0];
          o.text = f[2] === 'kind' ? i18n('kind-' + v[0], v[0]) : topicName(v[0]);
          sel.appendChild(o);
        });
      });
    }

    function setOpen(open) {
      if (isPage) open = list.children.length > 0;
      list.hidden = !open;
      input.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (!open) setActive(-1);
    }

    function setActive(i) {
      var items = list.querySelectorAll('[role="option"]');
      if (active >= 0 && items[active]) items[active].setAttribute('aria-selected', 'false');
      active = i >= 0 && i < items.length ? i : -1;
      if (active >= 0) {
        items[active].setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', items[active].id);
        if (items[active].scrollIntoView) items[active].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function say(html) {
      if (status) status.innerHTML = html;
    }

    function option(i, html, cls) {
      return '<li role="option" id="' + list.id + '-opt-' + i + '" class="' + cls + '" aria-selected="false">' + html + '</li>';
    }

    function render(res, q, count) {
      var html = '';
      var tokens = res.tokens;
      var lang = res.lang;
      shown = res.page;
      res.page.forEach(function (d, i) {
        var meta = [i18n('kind-' + d[2], d[2])];
        if (d[6]) meta.push(i18n('outcome-' + d[6], d[6]));
        (d[3] || []).forEach(function (t) { meta.push(topicName(t)); });
        html += option(i,
          '<a class="vinn-result__link" data-href="' + escapeHtml(fileUrl(siteBase + d[0])) + '">' +
          '<span class="vinn-result__title">' + highlight(d[1], tokens, lang) + '</span> ' +
          '<span class="vinn-result__meta">' + escapeHtml(meta.join(' · ')) + '</span> ' +
          '<span class="vinn-result__snippet">' + snippet(d, tokens, lang) + '</span></a>',
          'vinn-result vinn-result--' + escapeHtml(d[2]));
      });
      var n = res.ranked.length;
      if (n > res.page.length) {
        var more = isPage ? i18n('more', 'Vis flere') : fmt(i18n('all', 'Alle {n} treff'), { n: n });
        html += option(res.page.length, '<a class="vinn-result__link" data-href="' +
          escapeHtml(pageUrl(q)) + '">' + escapeHtml(more) + '</a>', 'vinn-result vinn-result--more');
      }
      list.innerHTML = html;
      active = -1;
      if (n) {
        say(escapeHtml(n === 1 ? i18n('count-one', '1 treff') : fmt(i18n('count', '{n} treff'), { n: n })));
      } else if (!count) {
        var msg = escapeHtml(fmt(i18n('noresults', 'Ingen treff for «{q}».'), { q: q }));
        if (res.suggestion) {
          msg += ' ' + fmt(escapeHtml(i18n('suggest', 'Mente du {term}?')), {
            term: '<button type="button" class="vinn-search__suggest">' + escapeHtml(res.suggestion) + '</button>'
          });
        }
        say(msg);
      }
      setOpen(true);
    }

    function filters() {
      return { kind: kindSel && kindSel.value ? kindSel.value : null, topic: topicSel && topicSel.value ? topicSel.value : null };
    }

    function pageUrl(q) {
      var params = ['q=' + encodeURIComponent(q)];
      var f = filters();
      if (f.kind) params.push('kind=' + encodeURIComponent(f.kind));
      if (f.topic) params.push('topic=' + encodeURIComponent(f.topic));
      return fileUrl(new URL(form.getAttribute('action') || 'sok/', document.baseURI).href.replace(/[?#].*$/, '')) + '?' + params.join('&');
    }

    async function run() {
      var q = input.value;
      var my = ++seq;
      if (!tokenize(q).length) {
        list.innerHTML = '';
        say('');
        setOpen(false);
        last = null;
        return;
      }
      try {
        var res = await search(store, q, null, filters());
        if (store.parts.meta) fillFilters(store.parts.meta);
        if (my !== seq) return;
        last = { res: res, q: q, shown: PAGE };
        render(res, q, false);
      } catch (e) {
        if (my !== seq) return;
        say(escapeHtml(i18n('error', 'Søket er ikke tilgjengelig.')));
      }
      if (isPage) {
        try {
          history.replaceState(null, '', pageUrl(q).replace(/^[^?]*/, location.pathname));
        } catch (e) {
          // file:// may refuse; the query still works.
        }
      }
    }

    async function more() {
      if (!last) return;
      var upto = last.shown + PAGE;
      var ids = last.res.ranked.slice(0, upto).map(function (r) { return r[0]; });
      last.res.page = await docs(store, ids, last.res.dc);
      last.shown = upto;
      render(last.res, last.q, true);
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    }

    input.addEventListener('input', schedule);
    input.addEventListener('focus', function () {
      if (list.children.length) setOpen(true);
      store.ensure(['meta']).then(function () { fillFilters(store.parts.meta); }, function () {});
    });
    [kindSel, topicSel].forEach(function (sel) {
      if (sel) sel.addEventListener('change', run);
    });
    input.addEventListener('keydown', function (ev) {
      var items = list.querySelectorAll('[role="option"]');
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        if (!items.length) return;
        ev.preventDefault();
        setOpen(true);
        var dir = ev.key === 'ArrowDown' ? 1 : -1;
        setActive(active < 0 ? (dir > 0 ? 0 : items.length - 1) : (active + dir + items.length) % items.length);
      } else if (ev.key === 'Enter') {
        if (active >= 0 && items[active]) {
          ev.preventDefault();
          var a = items[active].querySelector('a');
          if (a && isPage && items[active].classList.contains('vinn-result--more')) more();
          else if (a) location.href = a.getAttribute('data-href');
        } else if (isPage) {
          ev.preventDefault();
          clearTimeout(timer);
          run();
        }
      } else if (ev.key === 'Escape') {
        if (!isPage && !list.hidden) {
          setOpen(false);
        } else {
          input.value = '';
          run();
        }
        ev.preventDefault();
      }
    });
    list.addEventListener('mousedown', function (ev) { ev.preventDefault(); });
    // Options hold no real links (a listbox must not nest interactive
    // elements): a click on an option follows its data-href.
    list.addEventListener('click', function (ev) {
      var li = ev.target.closest && ev.target.closest('.vinn-result--more');
      if (li && isPage) {
        ev.preventDefault();
        more();
        return;
      }
      var a = ev.target.closest && ev.target.closest('[data-href]');
      if (!a) return;
      // Ctrl/Cmd/Shift+click opens the result beside this page, as a
      // link would.
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey) window.open(a.getAttribute('data-href'), '_blank', 'noopener');
      else location.href = a.getAttribute('data-href');
    });
    // So does the middle button.
    list.addEventListener('auxclick', function (ev) {
      var a = ev.button === 1 && ev.target.closest && ev.target.closest('[data-href]');
      if (a) { ev.preventDefault(); window.open(a.getAttribute('data-href'), '_blank', 'noopener'); }
    });
    if (status) {
      status.addEventListener('click', function (ev) {
        if (ev.target.classList && ev.target.classList.contains('vinn-search__suggest')) {
          input.value = ev.target.textContent;
          input.focus();
          run();
        }
      });
    }
    form.addEventListener('focusout', function (ev) {
      if (!isPage && (!ev.relatedTarget || !form.contains(ev.relatedTarget))) setOpen(false);
    });
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      if (isPage) {
        clearTimeout(timer);
        run();
      } else if (input.value.trim()) {
        location.href = pageUrl(input.value);
      }
    });

    if (isPage) {
      var params = new URLSearchParams(location.search);
      if (kindSel && params.get('kind')) kindSel.value = params.get('kind');
      if (topicSel && params.get('topic')) {
        var t = params.get('topic');
        if (!Array.prototype.some.call(topicSel.options, function (o) { return o.value === t; })) {
          var o = document.createElement('option');
          o.value = t;
          o.text = t;
          topicSel.appendChild(o);
        }
        topicSel.value = t;
      }
      if (params.get('q')) {
        input.value = params.get('q');
        run();
      }
    }
  }

  function init() {
    var forms = document.querySelectorAll('form.vinn-search');
    Array.prototype.forEach.call(forms, setup);
    document.addEventListener('keydown', function (ev) {
      if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      var t = ev.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      var target = document.querySelector('form.vinn-search[data-vinn-page] input[name="q"]') ||
        document.querySelector('form.vinn-search input[name="q"]');
      if (target) {
        ev.preventDefault();
        target.focus();
        if (target.select) target.select();
      }
    });
  }

  var api = {
    tokenize: tokenize,
    tokenSpans: tokenSpans,
    normalizeWord: normalizeWord,
    normalizeAndStem: normalizeAndStem,
    fold: fold,
    isStopWord: isStopWord,
    stem: stem,
    stemNb: stemNb,
    stemEn: stemEn,
    conflateNb: conflateNb,
    queryTokens: queryTokens,
    editDistance: editDistance,
    decodePostings: decodePostings,
    createStore: createStore,
    rank: rank,
    docs: docs,
    search: search,
    highlight: highlight,
    snippet: snippet,
    STOP: STOP
  };

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  } else {
    root.vinnSearch = api;
    if (typeof document !== 'undefined') {
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
      else init();
    }
  }
})(typeof window !== 'undefined' ? window : this);
