--[[
gpuplacer's cli_filter plugin for Slurm (cli_filter/lua; slurm.conf on the submit hosts: CliFilterPlugins=lua,
this file beside slurm.conf as cli_filter.lua).

A GPU job submitted with --deadline is deferrable work: this filter, which sees every option sbatch and salloc
were given, submits it held and marks it, so that the placement service plans it inside its window with the
grid's carbon and prices, then hands it back to Slurm (see job_submit.lua). Every other job is left as it is.
Slurm 22.05's job_submit/lua does not see --deadline, so the choice is made here, on the client. A submission
that bypasses this filter simply runs as Slurm decides.
]]

local MARK = "gpuplacer: deferrable"

-- How the filter shows an option that was not given: nil, or one of these words (deadline: "Unknown").
local UNSET = { [""] = true, ["0"] = true, ["unset"] = true, ["Unknown"] = true, ["N/A"] = true, ["None"] = true }

local function set(value)
  return value ~= nil and not UNSET[value]
end

local function asks_for_gpus(options)
  if set(options["gres"]) and string.find(options["gres"], "gpu", 1, true) ~= nil then
    return true
  end
  for _, key in ipairs({ "gpus", "gpus-per-node", "gpus-per-task", "gpus-per-socket" }) do
    if set(options[key]) then
      return true
    end
  end
  return false
end

function slurm_cli_setup_defaults(options, early_pass)
  return slurm.SUCCESS
end

function slurm_cli_pre_submit(options, pack_offset)
  if set(options["deadline"]) and asks_for_gpus(options) then
    options["hold"] = "set"
    options["comment"] = MARK
  end
  return slurm.SUCCESS
end

function slurm_cli_post_submit(offset, job_id, step_id)
  return slurm.SUCCESS
end
