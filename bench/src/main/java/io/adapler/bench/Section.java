package io.adapler.bench;

import java.util.Map;

/**
 * One part of the report: its figures for results.json and its Markdown for results.md.
 *
 * @param key the JSON key
 * @param json the figures
 * @param markdown a heading and a table
 */
record Section(String key, Map<String, Object> json, String markdown) {}
