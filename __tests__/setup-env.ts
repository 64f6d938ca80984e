// Nothing leaves the machine: these must be set before any driver module is loaded.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
process.env.DATABRICKS_TELEMETRY_DISABLED ??= '1';
