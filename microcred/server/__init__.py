"""Runs the installation: the `serve` command (web server, task workers and the hourly
tasks under one supervisor) and the worker bookkeeping it needs. It sits above every
domain app, so it may start any app's tasks."""
