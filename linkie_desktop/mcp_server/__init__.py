"""The MCP server for AI agents (`linkie mcp`): tools over the same services as the window."""
