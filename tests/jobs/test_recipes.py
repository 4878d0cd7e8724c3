"""What the recipe check tells a user: each way a regenerated job would differ, in a sentence, and
whether it can run at all."""

from __future__ import annotations

from jobs.brand_schemas import Recipe
from jobs.catalog import ModelCatalog
from jobs.models import Job
from jobs.recipes import Difference, compare, product_version, record_recipe
from runner.schemas import ModelInfo, RenderedWith, RenderResult, StyleInfo

RUNTIME = "torch 2.8.0, diffusers 0.35.1, NVIDIA H200, bfloat16"
MODEL = ModelInfo(name="flux-dev", family="flux", demo=False, default_steps=28, default_guidance=3.5,
                  default_width=1024, default_height=1024, fingerprint="a" * 64,
                  scheduler="FlowMatchEulerDiscreteScheduler", scheduler_config={"shift": 3.0}, runtime=RUNTIME)
STYLE = StyleInfo(name="acme", family="flux", description="", trigger_words=["acme style"], default_weight=0.8,
                  fingerprint="b" * 64, version=2)
RECIPE = Recipe(model="flux-dev", model_fingerprint="a" * 64, style="acme", style_version=2,
                style_fingerprint="b" * 64, style_weight=0.8, trigger_words=["acme style"], width=1024,
                height=1024, steps=28, guidance=3.5, seeds=[7, 8], scheduler="FlowMatchEulerDiscreteScheduler",
                scheduler_config={"shift": 3.0}, runtime=RUNTIME, product_version="0.1.0")


def texts(found: list[Difference]) -> list[str]:
    return [d.text for d in found]


def test_the_same_weights_adapter_scheduler_and_runtime_are_exact() -> None:
    assert compare(RECIPE, MODEL, STYLE) == []


def test_a_new_product_version_alone_does_not_change_the_pixels() -> None:
    assert compare(RECIPE.model_copy(update={"product_version": "0.0.9"}), MODEL, STYLE) == []


def test_changed_weights_are_named_with_both_fingerprints() -> None:
    found = compare(RECIPE, MODEL.model_copy(update={"fingerprint": "c" * 64}), STYLE)
    assert texts(found) == ["The weights of the model flux-dev have changed since this job (fingerprint "
                            "aaaaaaaaaaaa then, cccccccccccc now): the images will differ."]
    assert not found[0].blocking


def test_a_new_style_version_is_named_with_both_numbers() -> None:
    found = compare(RECIPE, MODEL, STYLE.model_copy(update={"fingerprint": "d" * 64, "version": 3}))
    assert texts(found) == ["The style acme is now version 3; this job used version 2. The images will differ."]


def test_a_scheduler_or_its_settings_changed() -> None:
    assert texts(compare(RECIPE, MODEL.model_copy(update={"scheduler": "EulerDiscreteScheduler"}), STYLE)) == [
        "The model flux-dev now uses the EulerDiscreteScheduler scheduler; this job used "
        "FlowMatchEulerDiscreteScheduler: the images will differ."]
    assert texts(compare(RECIPE, MODEL.model_copy(update={"scheduler_config": {"shift": 1.0}}), STYLE)) == [
        "The settings of the FlowMatchEulerDiscreteScheduler scheduler have changed (shift): the images will differ."]


def test_another_device_or_library_may_differ_slightly() -> None:
    now = "torch 2.9.0, diffusers 0.35.1, NVIDIA H100, bfloat16"
    assert texts(compare(RECIPE, MODEL.model_copy(update={"runtime": now}), STYLE)) == [
        f"The generator now renders with {now}; this job was rendered with {RUNTIME}: the images may differ slightly."]


def test_new_trigger_words_change_the_prompt() -> None:
    found = compare(RECIPE, MODEL, STYLE.model_copy(update={"trigger_words": ["acme look"]}))
    assert texts(found) == ['The style acme now puts "acme look" before the prompt; this job had "acme style": '
                            "the images will differ."]


def test_a_model_or_style_that_is_gone_blocks_the_recipe() -> None:
    assert compare(RECIPE, None, STYLE) == [
        Difference("The model flux-dev is no longer served, so this recipe cannot run.", blocking=True)]
    assert compare(RECIPE, MODEL, None) == [
        Difference("The style acme is no longer served, so this recipe cannot run.", blocking=True)]
    # Without a style, the style list does not matter.
    assert compare(RECIPE.model_copy(update={"style": None}), MODEL, None) == []


def job() -> Job:
    return Job(owner_oid="o", owner_tid="t", prompt="a mug", model="flux-dev", style="acme", style_weight=0.8,
               width=1024, height=1024, num_images=3, steps=28, guidance=3.5, seed=41)


def test_a_recipe_is_recorded_from_what_the_runner_rendered_with() -> None:
    used = RenderedWith(model_fingerprint="a" * 64, scheduler="FlowMatchEulerDiscreteScheduler",
                        scheduler_config={"shift": 3.0}, runtime=RUNTIME, style_fingerprint="b" * 64,
                        trigger_words=["acme style"])
    catalog = ModelCatalog([MODEL], [STYLE])
    text, version = record_recipe(catalog, job(), RenderResult(job_id="j", rendered_with=used))
    recipe = Recipe.model_validate_json(text)
    assert version is None  # no version store given: nothing numbered
    assert recipe.seeds == [41, 42, 43] and recipe.style_weight == 0.8
    assert recipe.product_version == product_version()
    assert compare(recipe.model_copy(update={"style_version": 2}), MODEL, STYLE) == []


def test_a_runner_that_says_nothing_of_what_it_used_leaves_no_recipe() -> None:
    assert record_recipe(ModelCatalog([MODEL], [STYLE]), job(), RenderResult(job_id="j")) == (None, None)
